-- Nexchange sync state, version 6: per side of a status row, whether the side still holds the item but its complete
-- listings no longer show it (SideStatus.outsideWindow: an event outside Graph's calendar window). Such an item is kept
-- on both sides and not asked for again at every full listing; existing rows are inside (false).
ALTER TABLE item_status ADD COLUMN exchange_outside_window BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE item_status ADD COLUMN nextcloud_outside_window BOOLEAN DEFAULT FALSE NOT NULL;
