package dev.overnight.core.json.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overnight.api.notify.Attention;
import dev.overnight.api.notify.Notification;
import dev.overnight.api.notify.NotificationItem;

/** The JSON of a {@link Notification}: {@code docs/schema/notification.schema.json}. */
public final class NotificationShapes {
  /** The schema's version, in every body, so receivers can tell shapes apart. */
  public static final int VERSION = 1;

  private NotificationShapes() {}

  /** A notification as the generic webhook posts it. */
  public static ObjectNode notification(Notification n) {
    ObjectNode o = Nodes.object();
    o.put("version", VERSION);
    o.put("kind", n.kind().key());
    n.attention().map(Attention::key).ifPresent(a -> o.put("attention", a));
    o.put("config_id", n.configId());
    Nodes.instant(o, "at", n.at());
    o.put("title", n.title());
    o.put("text", n.text());
    ArrayNode items = o.putArray("items");
    n.items().forEach(i -> items.add(item(i)));
    Nodes.text(o, "report", n.report());
    return o;
  }

  private static ObjectNode item(NotificationItem i) {
    ObjectNode o = Nodes.object();
    Nodes.text(o, "task_id", i.taskId());
    o.put("title", i.title());
    o.put("outcome", i.outcome());
    if (!i.detail().isEmpty()) {
      o.put("detail", i.detail());
    }
    Nodes.text(o, "link", i.link());
    return o;
  }
}
