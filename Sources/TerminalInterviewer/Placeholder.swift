// Placeholder: replaced by the TerminalInterviewer work.
