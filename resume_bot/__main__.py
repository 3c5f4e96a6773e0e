"""`python -m resume_bot …` is `resume-bot …`."""

from resume_bot.cli import run

run()
