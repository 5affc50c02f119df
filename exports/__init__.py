"""Pure builders that return .docx, .xlsx and .ics bytes from domain objects."""
