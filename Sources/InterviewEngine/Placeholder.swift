// Placeholder: replaced by the InterviewEngine work.
