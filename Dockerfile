# ciem as a container: `docker build -t ciem .` then `docker run --rm -v "$PWD:/work" ciem identities --db /work/ciem.db`.
# The store and inputs live in the mounted folder; the image holds only the self-contained binary.
# The team's server: `docker build --target server -t ciem-server .`, run with PostgreSQL by compose.yaml (docs/jobs.md).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Ciem.Cli -c Release -r linux-x64 --self-contained true \
      -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PackAsTool=false -o /out

# `ciem serve` on PostgreSQL (CIEM_DB), its configuration and background jobs in /etc/ciem/ciem-server.yml. The same
# binary: `docker compose exec ciem ciem jobs history` and `ciem db migrate` work inside the container.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS server
RUN useradd --create-home --uid 10001 ciem && install -d -o ciem -g ciem -m 0700 /work
USER ciem
WORKDIR /work
COPY --from=build /out/ciem /usr/local/bin/ciem
EXPOSE 8080
ENTRYPOINT ["ciem"]
CMD ["serve", "--urls", "http://0.0.0.0:8080", "--config", "/etc/ciem/ciem-server.yml"]

# The CLI image stays the default (last) stage.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS cli
# Runs as an unprivileged user; stores and reports it writes are owner-only.
RUN useradd --create-home --uid 10001 ciem
USER ciem
WORKDIR /work
ENV CIEM_DB=/work/ciem.db
COPY --from=build /out/ciem /usr/local/bin/ciem
ENTRYPOINT ["ciem"]
CMD ["--help"]
