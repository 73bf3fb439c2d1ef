# The barometer's services in one image: the distribution (launcher/target/barometer: bin/barometer
# and its jars) without the embedded broker, PostgreSQL binaries and benchmark tooling it carries
# for `barometer run`, `demo-report` and `bench` (deploy/image/not-in-image.txt). docker-compose.yml
# starts its subcommands ingest, streams and sink; tokens, import-csv, export, evaluate, reference
# and simulate run too (docker compose run --rm ingest tokens ...).
# Build: docker compose build (or docker build -t cohesion-barometer:local .)

# The build files alone, so that the layer resolving dependencies below is rebuilt only when a
# pom.xml changes, not on every source change (COPY compares contents, not times).
FROM docker.io/library/maven:3.9-eclipse-temurin-17 AS build-files
WORKDIR /src
COPY . .
RUN mkdir /build-files && find . -name pom.xml | tar -cf - -T - | tar -xf - -C /build-files \
    && cp -r mvnw .mvn /build-files/

FROM docker.io/library/maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# 1. Dependencies and plugins, in their own layer. The modules' own artifacts come from the reactor
#    in step 2, so they are left out here; whatever go-offline misses, step 2 still fetches.
COPY --from=build-files /build-files/ ./
RUN ./mvnw -B -q -pl launcher -am org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline \
        -DexcludeGroupIds=org.cohesionbarometer
# 2. The sources, and the distribution with only the services' runtime jars.
COPY . .
RUN ./mvnw -B -q -DskipTests -pl launcher -am package \
        -DexcludeArtifactIds="$(grep -v '^#' deploy/image/not-in-image.txt | grep : | cut -d: -f2 | paste -sd, -)" \
    && cp -r launcher/target/barometer /app

FROM docker.io/library/eclipse-temurin:17-jre
# curl: the ingest service's health check. The user owns every path it writes: the streams
# stage's state directory and the mount point of the Kafka broker's certificate (volumes: Docker copies the image's owner and mode into a new named
# volume; a mount point missing from the image would be created owned by root).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/barometer --shell /usr/sbin/nologin barometer \
    && mkdir -p /var/lib/barometer/streams /var/lib/barometer/kafka-tls \
    && chown -R 10001:10001 /var/lib/barometer && chmod 0750 /var/lib/barometer /var/lib/barometer/streams
COPY --from=build /app /app
USER 10001:10001
WORKDIR /var/lib/barometer
# The heap follows the container's memory limit (docker-compose.yml sets one per service); the
# rest is for metaspace, threads and, in the streams stage, RocksDB. A JVM out of memory exits
# and is restarted instead of limping on.
ENV BAROMETER_JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["/app/bin/barometer"]
