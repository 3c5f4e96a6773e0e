"""`python -m resume_bot …` is `resume-bot …`."""

import sys

from resume_bot.cli import main

sys.exit(main())
