# The barometer's services (ingest, streams, sink) in one image; docker-compose.yml picks the main
# class per service. Build: docker compose build (or docker build -t cohesion-barometer:local .)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -pl ingest,streams,sink -am package \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/app/lib \
    && cp ingest/target/barometer-ingest-*.jar streams/target/barometer-streams-*.jar sink/target/barometer-sink-*.jar /app/lib/

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 barometer && mkdir -p /var/lib/barometer && chown barometer /var/lib/barometer
COPY --from=build /app/lib /app/lib
USER barometer
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/lib/*"]
