# Stand-in for eclipse-temurin:17-jdk and node:20 (ComposeStackIT): Debian's OpenJDK 17 JDK, Node.js and npm.
ARG BASE
FROM ${BASE}
# npm trusts the system's certificates too (the base carries the host's, see ComposeStackIT)
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless nodejs npm \
 && rm -rf /var/lib/apt/lists/*
