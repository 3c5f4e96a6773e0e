"""The application: the `resume-bot` command wiring core to the registered chat platforms."""
