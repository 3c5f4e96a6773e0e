"""The Discord adapter: discord.py in, core out. See client.py for the entry points."""
