# syntax=docker/dockerfile:1
#
# erlint in a container: a static (musl) binary on an empty base image, run as a
# non-root user, linting the repository mounted at /src.
#
#   docker build -t erlint .
#   docker run --rm -v "$PWD:/src" erlint
#   docker run --rm -v "$PWD:/src" --user "$(id -u):$(id -g)" erlint --format sarif=erlint.sarif
#
# (The second form runs as your own user, so that erlint can write its report into the
# mounted directory.) Released images, ghcr.io/erlint/erlint:VERSION (linux/amd64 and
# linux/arm64), are not built from this file but from the release's own profile-guided
# binaries: see Dockerfile.release.

# The declared minimum Rust version (Cargo.toml's rust-version): the image build proves it.
FROM rust:1.88-alpine AS build
WORKDIR /build
COPY . .
# Alpine's Rust targets musl, which links statically by default.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    cargo build --profile dist --locked --bin erlint \
    && cp target/dist/erlint /usr/local/bin/erlint

FROM scratch
COPY --from=build /usr/local/bin/erlint /usr/local/bin/erlint
COPY LICENSE /usr/share/doc/erlint/LICENSE
# No passwd file in an empty image: a numeric, unprivileged user and group.
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/erlint"]
