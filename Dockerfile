# resume-bot: one image for the Slack bot, the Discord bot and the review workers.
#   docker build -t resume-bot .
#   docker run --env-file .env resume-bot slack      (or: discord, worker, doctor)
FROM python:3.11-slim

# Noto CJK: the rewrite's PDF for Chinese, Japanese and Korean resumes (without it, no such PDF).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY core core
COPY bots bots
COPY resume_bot resume_bot
RUN pip install --no-cache-dir . && useradd --create-home --uid 10001 bot
USER bot
WORKDIR /home/bot
ENV PORT=3000
EXPOSE 3000
ENTRYPOINT ["resume-bot"]
CMD ["slack"]
