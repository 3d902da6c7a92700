package io.nexchange.sandbox.internal.store;

/** A calendar folder of a mailbox. */
public final class CalendarFolder {
    public final String id;
    public String name;
    public String color = "auto";
    public String hexColor = "";
    public final boolean isDefault;
    public String changeKey;

    public CalendarFolder(String id, String name, boolean isDefault) {
        this.id = id;
        this.name = name;
        this.isDefault = isDefault;
    }
}
