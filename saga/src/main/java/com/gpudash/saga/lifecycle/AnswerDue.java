package com.gpudash.saga.lifecycle;

import com.gpudash.api.container.ContainerStep;

/** The payload of the deadline by which the worker must have answered a start or a stop. */
record AnswerDue(ContainerStep step) {
}
