package io.firehosesse.readmodel.api;

import io.firehosesse.readmodel.replay.Replays;
import java.net.URI;
import java.util.TreeSet;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/admin/replays} rebuilds projections from the event store; {@code GET} follows its progress. */
@RestController
@RequestMapping("/api/admin/replays")
class ReplayCommands {

    private final Replays replays;

    ReplayCommands(Replays replays) {
        this.replays = replays;
    }

    record ReplayRequest(String projection) {
    }

    @PostMapping
    ResponseEntity<Replays.Progress> start(@RequestBody(required = false) ReplayRequest request) {
        String projection = request == null || request.projection() == null ? Replays.ALL : request.projection();
        Replays.Progress started = replays.start(projection).orElseThrow(() -> new BadParameterException("projection",
                "projection must be one of " + new TreeSet<>(replays.names()) + " or " + Replays.ALL + "."));
        return ResponseEntity.accepted().location(URI.create("/api/admin/replays/" + started.id())).body(started);
    }

    @GetMapping("/{id}")
    Replays.Progress progress(@PathVariable String id) {
        return replays.progress(id).orElseThrow(() -> new StreamNotFoundException("No replay " + id + "."));
    }
}
