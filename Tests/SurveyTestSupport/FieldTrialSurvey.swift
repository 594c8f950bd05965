import Foundation

/// A small questionnaire for the fieldwork-management tests: the well-being study's case data
/// (preloaded sample source, cluster and address key; a district asked when not preloaded), a
/// few questions, and the 3-visit rule with an appointment code.
public enum FieldTrialSurvey {
    public static let source = """
        survey field {
          title hu "Terepi próba" en "Field trial"
          version "1"
          languages hu en
          outcome outcome complete 11
        }
        answers DIST {
          1 hu "Belváros" en "Belváros"
          2 hu "Avas" en "Avas"
          6 hu "Bulgárföld" en "Bulgárföld"
        }
        answers SRC {
          1 hu "Címminta" en "Address sample"
          2 hu "Városi esték rendezvényminta" en "City evenings event booster"
        }
        answers OUT {
          11 hu "Teljes" en "Complete"
          21 hu "Visszautasítás" en "Refusal"
          23 hu "Senki sincs otthon" en "Non-contact"
          25 hu "Időpont egyeztetve" en "Appointment made"
          41 hu "Üres lakás" en "Vacant"
        }
        question int_id text { preload interviewer nodk maxlength 20 text hu "Kérdező" en "Interviewer" }
        question sample_source single SRC { preload interviewer nodk text hu "Mintaforrás" en "Sample source" }
        question cluster_id text { preload interviewer nodk maxlength 20 text hu "Klaszter" en "Cluster" }
        question address_id text { preload interviewer nodk maxlength 12 text hu "Címazonosító" en "Address key" }
        question district single DIST { preload nodk text hu "Városrész" en "District" }
        question age integer 16..99 { text hu "Hány éves?" en "How old are you?" }
        question satisfied scale 0..10 { text hu "Mennyire elégedett?" en "How satisfied are you?" }
        question outcome single OUT { interviewer optional nodk text hu "Eredmény" en "Outcome" }
        targets {
          period @2026-10-01 .. @2026-12-15
          where sample_source == 1 else hu "Rendezvényminta" en "Event booster"
          total 4
          outcomes { complete 11 refusal 21 noncontact 23 other 25 ineligible 41 }
          final {
            appointment 25
            23 after 3 visits on different days, 1 from @17:00 or weekend
          }
        }
        """

    /// A sample of the questionnaire: four address-sample cases and one event-booster case (fictional addresses).
    public static let sample = """
        case_id,sample_source,cluster_id,address_id,address,district
        W-0001,1,B12,A0001,"Szondi György u. 3, 2/7",6
        W-0002,1,B12,A0002,"Szondi György u. 3, 4/12",6
        W-0003,1,K04,A0003,Győri kapu 118. fszt. 1,1
        W-0004,1,K04,A0004,Győri kapu 120. 3/9,1
        E-0001,2,EV1,E0001,,

        """
}
