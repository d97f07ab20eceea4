#!/usr/bin/env bash
# Stand-in for the postgres image's entrypoint (docker-library/postgres, 16, Debian): the
# steps it takes to start the server, in the same order, with the same commands and checks.
# Left out, because no test uses them: the `*_FILE` variables, POSTGRES_INITDB_WALDIR, the
# nss_wrapper fallback for a UID missing from /etc/passwd, and running the files of
# /docker-entrypoint-initdb.d (the folder is only listed, as the image does).
set -Eeo pipefail

# The server's own options without its name: an option first means `postgres` with it.
if [ "${1:0:1}" = - ]; then
    set -- postgres "$@"
fi

wants_help() {
    local arg
    for arg; do
        case "$arg" in
        -'?' | --help | --describe-config | -V | --version) return 0 ;;
        esac
    done
    return 1
}

if [ "$1" = postgres ] && ! wants_help "$@"; then
    : "${POSTGRES_USER:=postgres}"
    : "${POSTGRES_DB:=$POSTGRES_USER}"
    : "${POSTGRES_HOST_AUTH_METHOD:=}"
    export POSTGRES_PASSWORD POSTGRES_USER POSTGRES_DB POSTGRES_INITDB_ARGS
    existing=
    if [ -s "$PGDATA/PG_VERSION" ]; then
        existing=yes
    fi

    # The data and socket folders; chmod may fail (not the owner), as the image allows.
    mkdir -p "$PGDATA"
    chmod 00700 "$PGDATA" || :
    chown -R postgres:postgres "$PGDATA" || :
    mkdir -p /var/run/postgresql || :
    chmod 03775 /var/run/postgresql || :
    if [ "$(id -u)" = 0 ]; then
        find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
        find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
        exec gosu postgres "$BASH_SOURCE" "$@"
    fi

    if [ -z "$existing" ]; then
        if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
            echo >&2 'Error: Database is uninitialized and superuser password is not specified.'
            exit 1
        fi
        ls /docker-entrypoint-initdb.d/ >/dev/null
        eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"

        # Connections from other hosts authenticate as the server encrypts passwords.
        server_args=("${@:2}")
        : "${POSTGRES_HOST_AUTH_METHOD:=$(postgres -C password_encryption "${server_args[@]}")}"
        printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

        # A server on the socket only, to create the database, then stopped.
        export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
        PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" \
            -o "$(printf '%q ' "${server_args[@]}" -c listen_addresses='' -p "${PGPORT:-5432}")" \
            -w start
        sql() {
            PGHOST= PGHOSTADDR= psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" \
                --no-password --no-psqlrc --dbname postgres --set db="$POSTGRES_DB" "$@"
        }
        if [ -z "$(sql --tuples-only <<<"SELECT 1 FROM pg_database WHERE datname = :'db' ;")" ]; then
            sql <<<'CREATE DATABASE :"db" ;'
        fi
        PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
        unset PGPASSWORD
        echo 'PostgreSQL init process complete; ready for start up.'
    else
        echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
    fi
fi

exec "$@"
