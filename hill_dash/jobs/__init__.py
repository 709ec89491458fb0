"""Long work off the request path: training rounds and transcription run in background processes or workers."""
