# ciem as a container: `docker build -t ciem .` then `docker run --rm -v "$PWD:/work" ciem identities --db /work/ciem.db`.
# The store and inputs live in the mounted folder; the image holds only the self-contained binary.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Ciem.Cli -c Release -r linux-x64 --self-contained true \
      -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PackAsTool=false -o /out

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
# Runs as an unprivileged user; stores and reports it writes are owner-only.
RUN useradd --create-home --uid 10001 ciem
USER ciem
WORKDIR /work
ENV CIEM_DB=/work/ciem.db
COPY --from=build /out/ciem /usr/local/bin/ciem
ENTRYPOINT ["ciem"]
CMD ["--help"]
