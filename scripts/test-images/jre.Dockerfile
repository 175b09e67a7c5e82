# The Java 17 runtime the application image is built on in the tests (its BASE_IMAGE).
ARG ROOT_IMAGE
FROM ${ROOT_IMAGE}
CMD ["java", "-version"]
