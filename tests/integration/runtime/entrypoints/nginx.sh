#!/bin/sh
# Stand-in for the entrypoint of the nginx and nginxinc/nginx-unprivileged images (1.27,
# Debian): /docker-entrypoint.sh with the one script of /docker-entrypoint.d/ that acts on
# defaults, 10-listen-on-ipv6-by-default.sh. Left out, because they do nothing unless their
# variables or folders are given: 15-local-resolvers, 20-envsubst-on-templates and
# 30-tune-worker-processes; and the check that default.conf is the package's own.
set -e

if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
    echo "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
    me=10-listen-on-ipv6-by-default.sh
    conf=etc/nginx/conf.d/default.conf
    if [ ! -f "/proc/net/if_inet6" ]; then
        echo "$me: info: ipv6 not available"
    elif [ ! -f "/$conf" ]; then
        echo "$me: info: /$conf is not a file or does not exist"
    elif ! touch "/$conf" 2>/dev/null; then
        echo "$me: info: can not modify /$conf (read-only file system?)"
    else
        sed -i -E 's,listen       ([0-9]+);,listen       \1;\n    listen  [::]:\1;,' "/$conf"
        echo "$me: info: Enabled listen on IPv6 in /$conf"
    fi
    echo "$0: Configuration complete; ready for start up"
fi

exec "$@"
