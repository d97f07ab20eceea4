#!/bin/sh
# Stand-in for the redis image's entrypoint (docker-library/redis, 7.4): the same steps, in
# the same order, for the same cases.
set -e

# An option or a `.conf` file as the first argument means: run the server with it.
case "$1" in
-* | *.conf) set -- redis-server "$@" ;;
esac

# Started as root: hand the working folder to the redis user, then run again as that user.
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec gosu redis "$0" "$@"
fi

# Files private to the server unless the runtime chose a umask other than the usual one.
if [ "$(umask)" = 0022 ]; then
    umask 0077
fi

exec "$@"
