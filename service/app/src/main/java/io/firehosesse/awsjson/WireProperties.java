package io.firehosesse.awsjson;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Limits of the {@code POST /} endpoint ({@code firehose.wire.*}).
 *
 * @param maxBodyBytes the largest request body read; a plain number is bytes, {@code 8MB} also works. The
 *                     largest legal request is a PutRecordBatch of 4 MiB of data, about 5.4 MiB once
 *                     base64-encoded in JSON, so the default of 8 MiB refuses nothing a client may send
 */
@ConfigurationProperties("firehose.wire")
public record WireProperties(@DefaultValue("8MB") @DataSizeUnit(DataUnit.BYTES) DataSize maxBodyBytes) {

    public WireProperties {
        // The body is held in one array, so the limit must fit in one.
        if (maxBodyBytes.toBytes() < 1 || maxBodyBytes.toBytes() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("firehose.wire.max-body-bytes must be between 1 byte and 2 GiB, not "
                    + maxBodyBytes);
        }
    }
}
