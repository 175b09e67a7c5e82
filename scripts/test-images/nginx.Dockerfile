# nginx from Debian, standing in for the public nginx image in the compose tests.
ARG ROOT_IMAGE
FROM ${ROOT_IMAGE}
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
