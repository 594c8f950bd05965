// Placeholder: replaced by the SurveyCompiler work.
