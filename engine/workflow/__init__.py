"""The SpiffWorkflow adapter: the only code that imports SpiffWorkflow (parsing and deploy checks, running, the stored
state, the clock hook)."""
