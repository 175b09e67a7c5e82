# MariaDB from Debian, standing in for the public mariadb image in the compose tests: the same data directory,
# port and first-start variables (MARIADB_ROOT_PASSWORD, MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD).
ARG ROOT_IMAGE
FROM ${ROOT_IMAGE}
COPY mariadb-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN install -d -o mysql -g mysql -m 755 /var/lib/mysql /run/mysqld
VOLUME /var/lib/mysql
EXPOSE 3306
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["mariadbd"]
