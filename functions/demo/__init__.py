"""The demo: a whole school year of the model on the embedded emulator."""
