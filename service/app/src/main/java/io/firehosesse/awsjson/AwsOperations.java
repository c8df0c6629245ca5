package io.firehosesse.awsjson;

import java.util.List;

/** A feature's contribution to the AWS JSON endpoint; the registry collects every such bean. */
public interface AwsOperations {

    List<AwsOperation<?>> operations();
}
