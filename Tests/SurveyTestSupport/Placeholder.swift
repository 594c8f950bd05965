enum SurveyTestSupport {}
