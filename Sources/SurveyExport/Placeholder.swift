// Placeholder: replaced by the SurveyExport work.
