// Placeholder: replaced by the SurveySync work.
