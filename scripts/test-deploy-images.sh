#!/usr/bin/env bash
# Builds, in the test Docker Engine, the local images the container tests
# (ContainerImageIT, ComposeStackIT) use in place of the public ones, since no
# image registry is reachable from the test machines:
#
#   gpudash-jre-test:bookworm      Java 17 runtime, the Dockerfile's BASE_IMAGE
#   gpudash-mariadb-test:bookworm  MariaDB server, for compose's MARIADB_IMAGE
#   gpudash-nginx-test:bookworm    nginx, for compose's NGINX_IMAGE
#
# All three come from one Debian bookworm root made with debootstrap from the
# Debian mirror (minbase, no recommends): one download and one layer for three
# images. An image is rebuilt only when missing or made by another version of
# this recipe (the label gpudash.test-recipe), so a second run takes a second.
#
# Run as root; test-services.sh runs it after starting the Docker Engine, and
# it can be run alone: sudo bash scripts/test-deploy-images.sh
set -euo pipefail

PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

: "${TEST_DOCKER_ENDPOINT:=unix:///var/run/docker.sock}"
: "${TEST_JRE_IMAGE:=gpudash-jre-test:bookworm}"
: "${TEST_MARIADB_IMAGE:=gpudash-mariadb-test:bookworm}"
: "${TEST_NGINX_IMAGE:=gpudash-nginx-test:bookworm}"
: "${TEST_DEBIAN_MIRROR:=http://deb.debian.org/debian}"

SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IMAGES_DIR=$SCRIPTS_DIR/test-images
ROOT_IMAGE=gpudash-debian-test:bookworm
ROOT_PACKAGES=(openjdk-17-jre-headless mariadb-server nginx)
DEBOOTSTRAP_CACHE=/var/cache/gpudash-test/debootstrap
IMAGES_LOG=/var/log/gpudash-test-images.log

ROOTFS=""
PROC_MOUNTED=0

log() { echo "[test-images] $*"; }
die() { echo "[test-images] ERROR: $*" >&2; exit 1; }
dk() { docker -H "$TEST_DOCKER_ENDPOINT" "$@"; }

cleanup() {
    if ((PROC_MOUNTED)); then
        umount "$ROOTFS/proc" 2>/dev/null || umount -l "$ROOTFS/proc" 2>/dev/null || true
        PROC_MOUNTED=0
    fi
    if [[ -n $ROOTFS && -d $ROOTFS ]]; then
        rm -rf --one-file-system "$ROOTFS"
    fi
}
trap cleanup EXIT

# A changed package list makes a new root; a change to the images' files, new images on the same root.
root_recipe() {
    printf '%s\n' bookworm minbase "${ROOT_PACKAGES[@]}" | sha256sum | cut -c1-16
}

images_recipe() {
    cat "$IMAGES_DIR"/* | sha256sum | cut -c1-16
}

image_is_current() { # image recipe
    [[ $(dk image inspect --format '{{index .Config.Labels "gpudash.test-recipe"}}' "$1" 2>/dev/null) == "$2" ]]
}

# The root of all three images. Packages are installed in a chroot behind a
# policy-rc.d that forbids starting services: the chroot shares the host's
# network, and nginx's or MariaDB's maintainer scripts would otherwise start
# them on the host's ports 80 and 3306.
build_root_image() {
    command -v debootstrap >/dev/null || die "debootstrap not found (apt-get install debootstrap)"
    install -d -m 755 "$DEBOOTSTRAP_CACHE"
    ROOTFS=$(mktemp -d /var/tmp/gpudash-rootfs.XXXXXX)
    log "debootstrap: bookworm minbase from $TEST_DEBIAN_MIRROR (log: $IMAGES_LOG)"
    debootstrap --variant=minbase --cache-dir="$DEBOOTSTRAP_CACHE" bookworm "$ROOTFS" "$TEST_DEBIAN_MIRROR" \
        >>"$IMAGES_LOG" 2>&1 || { tail -n 20 "$IMAGES_LOG" >&2; die "debootstrap failed; read $IMAGES_LOG"; }
    printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
    chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
    cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
    # The JRE's ca-certificates-java runs java, which needs /proc.
    mount -t proc proc "$ROOTFS/proc"
    PROC_MOUNTED=1
    log "packages: ${ROOT_PACKAGES[*]}"
    chroot "$ROOTFS" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c '
        apt-get update -qq &&
        apt-get install -y -qq --no-install-recommends "$@" &&
        apt-get clean &&
        rm -rf /var/lib/apt/lists/* /var/lib/mysql/* /var/log/*.log /var/log/apt /tmp/*' packages \
        "${ROOT_PACKAGES[@]}" >>"$IMAGES_LOG" 2>&1 \
        || { tail -n 20 "$IMAGES_LOG" >&2; die "installing ${ROOT_PACKAGES[*]} failed; read $IMAGES_LOG"; }
    umount "$ROOTFS/proc"
    PROC_MOUNTED=0
    rm -f "$ROOTFS/usr/sbin/policy-rc.d" "$ROOTFS/etc/resolv.conf"
    tar --numeric-owner -C "$ROOTFS" -c . \
        | dk import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change "LABEL gpudash.test-recipe=$ROOT_RECIPE" \
            --message "Debian bookworm minbase with ${ROOT_PACKAGES[*]}" - "$ROOT_IMAGE" >/dev/null \
        || die "docker import of $ROOT_IMAGE failed"
    rm -rf --one-file-system "$ROOTFS"
    ROOTFS=""
}

build_image() { # image dockerfile
    dk build -q --build-arg "ROOT_IMAGE=$ROOT_IMAGE" --label "gpudash.test-recipe=$RECIPE" \
        -t "$1" -f "$IMAGES_DIR/$2" "$IMAGES_DIR" >>"$IMAGES_LOG" 2>&1 \
        || { tail -n 20 "$IMAGES_LOG" >&2; die "docker build of $1 failed; read $IMAGES_LOG"; }
}

main() {
    [[ $(id -u) == 0 ]] || die "run as root (debootstrap and chroot need it)"
    local t0=$SECONDS image
    ROOT_RECIPE=$(root_recipe)
    RECIPE=$ROOT_RECIPE-$(images_recipe)
    if image_is_current "$TEST_JRE_IMAGE" "$RECIPE" && image_is_current "$TEST_MARIADB_IMAGE" "$RECIPE" \
            && image_is_current "$TEST_NGINX_IMAGE" "$RECIPE"; then
        log "$TEST_JRE_IMAGE, $TEST_MARIADB_IMAGE, $TEST_NGINX_IMAGE present"
        return
    fi
    # The engine outlives this run: images of an older recipe go (children first) once the new ones have their names.
    local replaced current
    replaced=$(dk image inspect --format '{{.Id}}' "$ROOT_IMAGE" "$TEST_JRE_IMAGE" "$TEST_MARIADB_IMAGE" \
        "$TEST_NGINX_IMAGE" 2>/dev/null || true)
    if ! image_is_current "$ROOT_IMAGE" "$ROOT_RECIPE"; then
        build_root_image
    fi
    build_image "$TEST_JRE_IMAGE" jre.Dockerfile
    build_image "$TEST_MARIADB_IMAGE" mariadb.Dockerfile
    build_image "$TEST_NGINX_IMAGE" nginx.Dockerfile
    for image in "$TEST_JRE_IMAGE" "$TEST_MARIADB_IMAGE" "$TEST_NGINX_IMAGE"; do
        image_is_current "$image" "$RECIPE" || die "$image was built but does not carry recipe $RECIPE"
    done
    current=$(dk image inspect --format '{{.Id}}' "$ROOT_IMAGE" "$TEST_JRE_IMAGE" "$TEST_MARIADB_IMAGE" \
        "$TEST_NGINX_IMAGE")
    for image in $(tac <<<"$replaced"); do
        # An image used by a container stays; so does one the build found unchanged in its cache.
        grep -qx "$image" <<<"$current" || dk image rm "$image" >/dev/null 2>&1 || true
    done
    log "built $TEST_JRE_IMAGE, $TEST_MARIADB_IMAGE, $TEST_NGINX_IMAGE in $((SECONDS - t0))s"
}

main "$@"
