# syntax=docker/dockerfile:1
# Stage 1 builds the coach's wheel (content/ and migrations/ ride inside it) and wheels of every
# dependency; stage 2 installs those wheels offline and keeps no source tree.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
COPY content ./content
COPY migrations ./migrations
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels runner-strength-coach
RUN useradd --create-home --uid 10001 coach
USER coach
WORKDIR /home/coach
CMD ["coach", "run"]
