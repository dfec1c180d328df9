package io.mlconnector.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventsTest {
    private static SimFixture fx;
    private static AsanaClient client;

    @BeforeAll
    static void start() throws Exception {
        fx = new SimFixture();
        client = fx.client();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void firstPollObtainsATokenThenEventsFollowIt() {
        String project = fx.sim.addProject(fx.workspace, "Events project");
        EventStream stream = client.events(project, null);
        long refusals = fx.sim.log().calls("asana.getEvents", 412);
        assertEquals(List.of(), stream.poll());
        SyncToken start = stream.token();
        assertNotNull(start);
        assertEquals(refusals + 1, fx.sim.log().calls("asana.getEvents", 412));

        Task task = client.createTask(TaskRequest.builder("PO 10").project(project).build());
        fx.sim.changeTaskAsUser(task.gid(), fx.user, JsonNodeFactory.instance.objectNode().put("completed", true));

        List<Event> events = stream.poll();
        assertEquals(List.of("added", "changed"), events.stream().map(Event::action).toList());
        assertEquals(project, events.get(0).parent().gid());
        assertEquals("completed", events.get(1).change().field());
        assertEquals(task.gid(), events.get(1).resource().gid());
        assertEquals("task", events.get(1).resource().resourceType());
        assertEquals("default_task", events.get(1).resourceSubtype());
        assertEquals("project", events.get(0).parent().resourceType());
        assertNotEquals(start, stream.token());
        assertEquals(List.of(), stream.poll());
    }

    @Test
    void followsHasMoreAcrossPagesOfOneHundred() {
        String project = fx.sim.addProject(fx.workspace, "Busy project");
        EventStream stream = client.events(project, null);
        stream.poll();
        fx.sim.seedTasks(project, fx.user, 250);
        long before = fx.sim.log().calls("asana.getEvents", 200);

        List<Event> events = stream.poll();

        assertEquals(250, events.size());
        assertEquals(3, fx.sim.log().calls("asana.getEvents", 200) - before);
    }

    @Test
    void expiredTokenThrowsWithAFreshTokenToContinueFrom() {
        String project = fx.sim.addProject(fx.workspace, "Expiring project");
        EventStream stream = client.events(project, null);
        stream.poll();
        fx.sim.expireSyncTokens();

        SyncTokenExpiredException e = assertThrows(SyncTokenExpiredException.class, stream::poll);
        assertNotNull(e.freshToken());
        assertEquals(e.freshToken(), stream.token());
        assertTrue(e.getMessage().contains("Sync token invalid or too old"));
        fx.sim.seedTasks(project, fx.user, 1);
        assertEquals(1, stream.poll().size());
    }
}
