# syntax=docker/dockerfile:1
# Stage 1 builds the coach's wheel (content/ and migrations/ ride inside it) and wheels of every
# dependency, at the versions constraints.txt pins; stage 2 installs those wheels offline and keeps no
# source tree.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md constraints.txt ./
COPY bot ./bot
COPY content ./content
COPY migrations ./migrations
# the dependencies' wheels at the versions CI tested (constraints.txt pins every one)
RUN pip wheel --no-cache-dir --wheel-dir /wheels -c constraints.txt .

FROM python:3.11-slim
# COACH_CONTAINER: `coach run`, `migrate` and `dispatch` refuse to start without DATABASE_URL here, since
# the default SQLite file would live in the container's own filesystem and vanish with it
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 COACH_CONTAINER=1
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels runner-strength-coach
# the dataclasses' methods compiled once and the content's snapshots, beside the bytecode pip compiled
# (bot.entry.code_cache, bot.content.snapshot): the bot does not write them at run time
# (PYTHONDONTWRITEBYTECODE, and the package is root's)
RUN python -m bot.entry.code_cache
# /data: where a volume goes for a SQLite database (DATABASE_URL=sqlite+aiosqlite:////data/coach.db),
# owned by coach so a new named volume mounted there is writable; no VOLUME line, as an anonymous
# volume is one more place for data to go missing quietly
RUN useradd --create-home --uid 10001 coach && install -d -o coach -g coach -m 0700 /data
USER coach
WORKDIR /home/coach
# the HTTP server: the webhook, /healthz, /readyz and the calendar feeds (in polling mode too, as PORT is set)
ENV PORT=8080
EXPOSE 8080
# the webhook machines; a dispatch worker runs `coach dispatch --loop`, the release step `coach migrate`
CMD ["coach", "run"]
