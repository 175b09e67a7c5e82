-- Axon's event store, token store, saga store and dead-letter queue, owned here instead of created by Axon at
-- run time (trap 3): payloads are LONGBLOB, and the indexes are those of Axon's "Relational Database Tuning" page.
-- Table and column names are Axon's defaults, spelled exactly as its schema objects spell them (trap 18).

CREATE TABLE DomainEventEntry (
    globalIndex         BIGINT       NOT NULL AUTO_INCREMENT,
    aggregateIdentifier VARCHAR(255) NOT NULL,
    sequenceNumber      BIGINT       NOT NULL,
    type                VARCHAR(255),
    eventIdentifier     VARCHAR(255) NOT NULL,
    metaData            LONGBLOB,
    payload             LONGBLOB     NOT NULL,
    payloadRevision     VARCHAR(255),
    payloadType         VARCHAR(255) NOT NULL,
    timeStamp           VARCHAR(255) NOT NULL,
    PRIMARY KEY (globalIndex),
    CONSTRAINT uk_domain_event_aggregate_sequence UNIQUE (aggregateIdentifier, sequenceNumber),
    CONSTRAINT uk_domain_event_identifier UNIQUE (eventIdentifier)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE SnapshotEventEntry (
    aggregateIdentifier VARCHAR(255) NOT NULL,
    sequenceNumber      BIGINT       NOT NULL,
    type                VARCHAR(255) NOT NULL,
    eventIdentifier     VARCHAR(255) NOT NULL,
    metaData            LONGBLOB,
    payload             LONGBLOB     NOT NULL,
    payloadRevision     VARCHAR(255),
    payloadType         VARCHAR(255) NOT NULL,
    timeStamp           VARCHAR(255) NOT NULL,
    PRIMARY KEY (aggregateIdentifier, sequenceNumber),
    CONSTRAINT uk_snapshot_event_identifier UNIQUE (eventIdentifier)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_snapshot_aggregate ON SnapshotEventEntry (aggregateIdentifier);

CREATE TABLE TokenEntry (
    processorName VARCHAR(255) NOT NULL,
    segment       INTEGER      NOT NULL,
    token         LONGBLOB,
    tokenType     VARCHAR(255),
    timestamp     VARCHAR(255),
    owner         VARCHAR(255),
    PRIMARY KEY (processorName, segment)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE SagaEntry (
    sagaId         VARCHAR(255) NOT NULL,
    revision       VARCHAR(255),
    sagaType       VARCHAR(255),
    serializedSaga LONGBLOB,
    PRIMARY KEY (sagaId)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE AssociationValueEntry (
    id               BIGINT       NOT NULL AUTO_INCREMENT,
    associationKey   VARCHAR(255),
    associationValue VARCHAR(255),
    sagaId           VARCHAR(255),
    sagaType         VARCHAR(255),
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_association_type_key_value ON AssociationValueEntry (sagaType, associationKey, associationValue);
CREATE INDEX ix_association_saga ON AssociationValueEntry (sagaId, sagaType);

CREATE TABLE DeadLetterEntry (
    deadLetterIdentifier VARCHAR(255)  NOT NULL,
    processingGroup      VARCHAR(255)  NOT NULL,
    sequenceIdentifier   VARCHAR(255)  NOT NULL,
    sequenceIndex        BIGINT        NOT NULL,
    messageType          VARCHAR(255)  NOT NULL,
    eventIdentifier      VARCHAR(255)  NOT NULL,
    timestamp            VARCHAR(255)  NOT NULL,
    payloadType          VARCHAR(255)  NOT NULL,
    payloadRevision      VARCHAR(255),
    payload              LONGBLOB      NOT NULL,
    metaData             LONGBLOB,
    type                 VARCHAR(255),
    aggregateIdentifier  VARCHAR(255),
    sequenceNumber       BIGINT,
    tokenType            VARCHAR(255),
    token                LONGBLOB,
    enqueuedAt           VARCHAR(255)  NOT NULL,
    lastTouched          VARCHAR(255),
    processingStarted    VARCHAR(255),
    causeType            VARCHAR(255),
    causeMessage         VARCHAR(1023),
    diagnostics          LONGBLOB,
    PRIMARY KEY (deadLetterIdentifier),
    CONSTRAINT uk_dead_letter_sequence UNIQUE (processingGroup, sequenceIdentifier, sequenceIndex)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_dead_letter_group ON DeadLetterEntry (processingGroup);
CREATE INDEX ix_dead_letter_group_sequence ON DeadLetterEntry (processingGroup, sequenceIdentifier);
