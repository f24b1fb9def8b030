# Stand-in for eclipse-temurin:17-jre (ComposeStackIT): Debian's OpenJDK 17 JRE on the debootstrapped base.
ARG BASE
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/*
