# The barometer's distribution (launcher/target/barometer: bin/barometer and its jars) in one image;
# docker-compose.yml starts its subcommands: ingest, streams, sink (any other, e.g. `tokens`, runs too).
# Build: docker compose build (or docker build -t cohesion-barometer:local .)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -pl launcher -am package && cp -r launcher/target/barometer /app

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 barometer && mkdir -p /var/lib/barometer && chown barometer /var/lib/barometer
COPY --from=build /app /app
USER barometer
ENV BAROMETER_JAVA_OPTS=-XX:MaxRAMPercentage=75
ENTRYPOINT ["/app/bin/barometer"]
