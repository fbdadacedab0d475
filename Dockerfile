# teampulse in a slim image, so a nightly job starts in seconds instead of compiling for
# minutes:  docker build -t teampulse .  then
#   docker run --rm -v "$PWD:/work" -w /work teampulse build exports/ --history history -o site
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin teampulse

FROM debian:bookworm-slim
COPY --from=build /src/target/release/teampulse /usr/local/bin/teampulse
COPY scripts/nightly.sh /usr/local/bin/teampulse-nightly
USER 65534:65534
ENTRYPOINT ["teampulse"]
