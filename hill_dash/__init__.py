"""hill-dash: run Human-in-the-Latent-Loop studies end to end."""

__version__ = "0.1.0"
