package io.firehosesse.awsjson.firehose;

import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.Destination;
import io.firehosesse.api.deliverystream.DestinationKind;
import io.firehosesse.awsjson.AwsServiceModel;
import io.firehosesse.awsjson.firehose.FirehoseShapes.CreateDeliveryStreamInput;
import io.firehosesse.awsjson.firehose.FirehoseShapes.UpdateDestinationInput;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Destination configurations as the wire gives them, turned into the domain's documents: the one given to
 * CreateDeliveryStream, the one update given to UpdateDestination (its {@code S3Update} and {@code S3BackupUpdate}
 * renamed to the configuration's members, so an update merges into what Create stored). The model's own constraints
 * were checked before; here are the rules AWS documents across members, which no model constraint can say.
 */
@Component
class DestinationConfigurations {

    static final String FIRST_DESTINATION_ID = "destinationId-000000000001";

    /** Update members named otherwise than the configuration members they update. */
    private static final Map<String, String> UPDATES = Map.of(
            "S3Update", Destination.S3_CONFIGURATION,
            "S3BackupUpdate", "S3BackupConfiguration");

    /** The Redshift COPY command cannot read these (the model's CompressionFormat documentation: "SNAPPY or ZIP"). */
    private static final Set<String> NOT_FOR_REDSHIFT = Set.of("Snappy", "HADOOP_SNAPPY", "ZIP");

    private final AwsServiceModel model = AwsServiceModel.load(AwsServiceModel.FIREHOSE);

    /** One destination update: its type and its members, named as in that type's configuration. */
    record Update(DestinationKind kind, Map<String, Object> settings) {
    }

    /** The destinations given to Create, each with its document; how many there may be is the aggregate's rule. */
    List<Destination> fromCreate(CreateDeliveryStreamInput input) {
        Map<DestinationKind, Map<String, Object>> given = new EnumMap<>(DestinationKind.class);
        put(given, DestinationKind.S3, input.s3DestinationConfiguration());
        put(given, DestinationKind.EXTENDED_S3, input.extendedS3DestinationConfiguration());
        put(given, DestinationKind.REDSHIFT, input.redshiftDestinationConfiguration());
        put(given, DestinationKind.ELASTICSEARCH, input.elasticsearchDestinationConfiguration());
        put(given, DestinationKind.AMAZON_OPENSEARCH_SERVICE, input.amazonopensearchserviceDestinationConfiguration());
        put(given, DestinationKind.AMAZON_OPENSEARCH_SERVERLESS, input.amazonOpenSearchServerlessDestinationConfiguration());
        put(given, DestinationKind.SPLUNK, input.splunkDestinationConfiguration());
        put(given, DestinationKind.HTTP_ENDPOINT, input.httpEndpointDestinationConfiguration());
        put(given, DestinationKind.SNOWFLAKE, input.snowflakeDestinationConfiguration());
        put(given, DestinationKind.ICEBERG, input.icebergDestinationConfiguration());
        List<Destination> destinations = new ArrayList<>();
        given.forEach((kind, settings) -> {
            Map<String, Object> document = Documents.withoutNulls(settings);
            checkAcrossMembers(kind, document, true);
            destinations.add(new Destination(FIRST_DESTINATION_ID, kind, document));
        });
        return destinations;
    }

    /** The one update UpdateDestination must carry. */
    Update fromUpdate(UpdateDestinationInput input) {
        Map<DestinationKind, Map<String, Object>> given = new EnumMap<>(DestinationKind.class);
        put(given, DestinationKind.S3, input.s3DestinationUpdate());
        put(given, DestinationKind.EXTENDED_S3, input.extendedS3DestinationUpdate());
        put(given, DestinationKind.REDSHIFT, input.redshiftDestinationUpdate());
        put(given, DestinationKind.ELASTICSEARCH, input.elasticsearchDestinationUpdate());
        put(given, DestinationKind.AMAZON_OPENSEARCH_SERVICE, input.amazonopensearchserviceDestinationUpdate());
        put(given, DestinationKind.AMAZON_OPENSEARCH_SERVERLESS, input.amazonOpenSearchServerlessDestinationUpdate());
        put(given, DestinationKind.SPLUNK, input.splunkDestinationUpdate());
        put(given, DestinationKind.HTTP_ENDPOINT, input.httpEndpointDestinationUpdate());
        put(given, DestinationKind.SNOWFLAKE, input.snowflakeDestinationUpdate());
        put(given, DestinationKind.ICEBERG, input.icebergDestinationUpdate());
        if (given.size() != 1) {
            throw invalid("Exactly one destination update must be specified.");
        }
        Map.Entry<DestinationKind, Map<String, Object>> update = given.entrySet().iterator().next();
        Map<String, Object> renamed = new LinkedHashMap<>();
        Documents.withoutNulls(update.getValue()).forEach((member, value) -> renamed.put(UPDATES.getOrDefault(member, member), value));
        checkAcrossMembers(update.getKey(), renamed, false);
        return new Update(update.getKey(), renamed);
    }

    /**
     * An update that changes the destination's type replaces it, so it must be a whole configuration of the new type
     * (AWS: "Firehose does not merge any parameters. In this case, all parameters must be specified").
     */
    void requireWhole(Update update) {
        List<String> missing = new ArrayList<>();
        missingRequired(DestinationTypes.configurationMember(update.kind()), update.settings(),
                DestinationTypes.updateMember(update.kind()), missing);
        if (!missing.isEmpty()) {
            throw invalid("Changing the destination type replaces the destination, so its whole configuration must be"
                    + " specified; missing: " + String.join(", ", missing) + ".");
        }
    }

    private void missingRequired(String shape, Map<String, Object> document, String path, List<String> missing) {
        Map<String, String> members = model.membersOf(shape);
        members.forEach((member, memberShape) -> {
            Object value = document.get(member);
            if (value == null && model.requiredOf(shape).contains(member)) {
                missing.add(path + "." + updateName(member));
            } else if (value instanceof Map<?, ?> nested && "structure".equals(model.typeOf(memberShape))) {
                missingRequired(memberShape, Documents.asDocument(nested), path + "." + updateName(member), missing);
            }
        });
    }

    /** The member's name as the caller wrote it in the update. */
    private static String updateName(String configurationMember) {
        return UPDATES.entrySet().stream().filter(e -> e.getValue().equals(configurationMember)).map(Map.Entry::getKey)
                .findFirst().orElse(configurationMember);
    }

    /** AWS's documented rules across members; {@code whole} for a Create, false for an update (members may be absent). */
    private static void checkAcrossMembers(DestinationKind kind, Map<String, Object> document, boolean whole) {
        if (kind == DestinationKind.REDSHIFT && document.get(Destination.S3_CONFIGURATION) instanceof Map<?, ?> s3
                && NOT_FOR_REDSHIFT.contains(String.valueOf(s3.get("CompressionFormat")))) {
            throw invalid("CompressionFormat " + s3.get("CompressionFormat") + " is not supported for a Redshift"
                    + " destination's S3 configuration: the Redshift COPY command cannot read it.");
        }
        if (kind.openSearchService()) {
            // The domain is named one way or the other: "Specify either ClusterEndpoint or DomainARN."
            boolean domain = document.containsKey("DomainARN");
            boolean cluster = document.containsKey("ClusterEndpoint");
            if (domain && cluster) {
                throw invalid("Specify either DomainARN or ClusterEndpoint, not both.");
            }
            if (whole && !domain && !cluster) {
                throw invalid("Either DomainARN or ClusterEndpoint must be specified.");
            }
        }
    }

    private static void put(Map<DestinationKind, Map<String, Object>> given, DestinationKind kind, Map<String, Object> value) {
        if (value != null) {
            given.put(kind, value);
        }
    }

    private static FirehoseException invalid(String message) {
        return new FirehoseException(FirehoseErrorCode.InvalidArgumentException, message);
    }
}
