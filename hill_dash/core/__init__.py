"""The UI-free HILL engine: scenarios, models, the frozen projection, losses, the epoch-wise runner."""
