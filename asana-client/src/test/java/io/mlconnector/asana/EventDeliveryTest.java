package io.mlconnector.asana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventDeliveryTest {

    @Test
    void aDeliveryAndAHeartbeatParse() throws IOException {
        assertEquals(0, parse("{\"events\":[]}").size());
        Event event = parse("{\"events\":[{\"action\":\"changed\",\"created_at\":\"2026-11-27T08:00:00.000Z\","
                + "\"resource\":{\"gid\":\"12\",\"resource_type\":\"task\"},\"change\":{\"field\":\"completed\","
                + "\"action\":\"changed\"}}]}").get(0);
        assertEquals("12", event.resource().gid());
        assertEquals("completed", event.change().field());
    }

    @Test
    void aBodyThatIsNotADeliveryIsRefusedNotReadAsEmpty() {
        for (String body : new String[] {"[]", "null", "{}", "{\"events\":\"none\"}", "{\"events\":[1,true]}",
                "{\"events\":[{\"action\":\"changed\"}]}", "{\"events\":[{\"resource\":{}}]}"}) {
            assertThrows(IOException.class, () -> parse(body), body);
        }
    }

    private static java.util.List<Event> parse(String body) throws IOException {
        return Event.parseDelivery(body.getBytes(StandardCharsets.UTF_8));
    }
}
