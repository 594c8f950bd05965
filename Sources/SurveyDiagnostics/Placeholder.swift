// Placeholder: replaced by the SurveyDiagnostics work.
