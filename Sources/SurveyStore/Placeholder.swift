// Placeholder: replaced by the SurveyStore work.
