package io.firehosesse.deliverystream;

import io.firehosesse.platform.ServiceReset;
import io.firehosesse.api.FirehoseErrorCode;
import io.firehosesse.api.FirehoseException;
import io.firehosesse.api.deliverystream.StreamKey;
import io.firehosesse.platform.CallTransaction;
import io.firehosesse.auth.Caller;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

/** The command side as the edge sees it: find a stream by its AWS name, send it a command as a caller. */
@Component
public class DeliveryStreams implements ServiceReset.Participant {

    private static final long COMMAND_TIMEOUT_SECONDS = 30;
    private static final int MAX_KNOWN_IDS = 100_000;

    /**
     * Name → stream id, as last read: a stream keeps its id for life, so the only way an entry goes stale is the
     * stream's deletion, which the command then meets as a deleted aggregate (see {@link #sendTo}). Saves each
     * command a transaction and a round trip to PostgreSQL.
     */
    private final Map<StreamKey, String> knownIds = new ConcurrentHashMap<>();

    private final CommandGateway commands;
    private final StreamNameRegistry names;
    private final CommandLimiter limiter;
    private final CallTransaction calls;

    DeliveryStreams(CommandGateway commands, StreamNameRegistry names, CommandLimiter limiter, CallTransaction calls) {
        this.commands = commands;
        this.names = names;
        this.limiter = limiter;
        this.calls = calls;
    }

    public void send(Object command, Caller caller) {
        limiter.call(() -> commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(caller.metaData()),
                COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    /**
     * Sends the command built for the stream's id, or answers ResourceNotFoundException as AWS does. A cached id
     * whose stream is gone may be stale: the name may have passed to a new stream since (here or through another
     * instance), so it is asked for once more.
     */
    public void sendTo(StreamKey key, Function<String, Object> command, Caller caller) {
        String cached = knownIds.get(key);
        if (cached != null) {
            if (sent(cached, command, caller)) {
                return;
            }
            knownIds.remove(key, cached);
        }
        String current = lookUp(key).filter(id -> !id.equals(cached)).orElseThrow(() -> notFound(key));
        if (!sent(current, command, caller)) {
            knownIds.remove(key, current);
            throw notFound(key);
        }
    }

    /** False when there is no such stream (any more). */
    private boolean sent(String streamId, Function<String, Object> command, Caller caller) {
        try {
            send(command.apply(streamId), caller);
            return true;
        } catch (AggregateNotFoundException gone) {
            return false;
        }
    }

    private Optional<String> lookUp(StreamKey key) {
        Optional<String> id = calls.outside(() -> names.streamIdOf(key));
        id.ifPresent(found -> {
            if (knownIds.size() >= MAX_KNOWN_IDS) {
                knownIds.clear();
            }
            knownIds.put(key, found);
        });
        return id;
    }

    public static FirehoseException notFound(StreamKey key) {
        return new FirehoseException(FirehoseErrorCode.ResourceNotFoundException,
                "Firehose " + key.name() + " under account " + key.accountId() + " not found.");
    }

    @Override
    public void afterReset() {
        knownIds.clear();
    }
}
