# A local stand-in for the official node:24-slim, for machines that reach the
# npm and Debian registries but no image registry. deploy/image/build.ts
# builds it on a Debian bookworm minbase imported from debootstrap, in a
# context holding the Node binary (from the `node` npm package), the npm
# tarball (`npm pack npm@11`) and this machine's CA bundle.
ARG DEBIAN_IMAGE=local/debian:bookworm
FROM ${DEBIAN_IMAGE}
COPY node /usr/local/bin/node
COPY npm.tgz /tmp/npm.tgz
# As in the official image: npm linked into /usr/local/bin, and a `node` user and group with uid/gid 1000.
RUN mkdir -p /usr/local/lib/node_modules/npm \
 && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
 && rm /tmp/npm.tgz \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
# A proxy on the way to the registries may re-sign TLS with this machine's own
# CA; without its bundle, `npm ci` in a build fails with SELF_SIGNED_CERT_IN_CHAIN.
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
