package io.nexchange.vdir.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Calendars and address books as folders in the vdir layout that khal, khard and vdirsyncer read:
 * {@code <root>/<user id>/<collection>/<name>.ics|.vcf}, one item per file. vdirsyncer's {@code displayname}
 * metadata file holds the display name; a {@code .nexchange-kind} file says whether a folder is a calendar
 * or an address book (folders without it count by the files they hold). Collection ids are paths relative
 * to the root ({@code alice/personal}); item refs likewise ({@code alice/personal/x.ics}).
 *
 * <p>Like vdirsyncer's filesystem storage there is no locking between processes: writes are atomic
 * (temporary file, then rename) and check the version first, which catches every change made before the
 * check but not one racing it.
 *
 * <p>As the ItemStore service of backend {@code vdir} (Nextcloud side) it is active without configuration (the
 * demo writes to {@code data/vdir}); the engine picks it over the CalDAV store by {@code nexchange.backend=vdir}.
 */
@Component(service = ItemStore.class, configurationPid = "io.nexchange.vdir", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {ItemStore.BACKEND + "=vdir", ItemStore.SIDE + "=nextcloud"})
@Designate(ocd = VdirStoreConfiguration.class)
public final class VdirItemStore implements ItemStore {
    static final String KIND_FILE = ".nexchange-kind";
    static final String DISPLAYNAME_FILE = "displayname";

    private final Path root;

    /** A relative root is below the runtime's instance directory ({@code nexchange.base}: where etc, data and log are). */
    @Activate
    public VdirItemStore(VdirStoreConfiguration config, BundleContext context) {
        this(Path.of(Objects.requireNonNullElse(context.getProperty("nexchange.base"), ".")).resolve(config.root()));
    }

    public VdirItemStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    @Override
    public Set<CollectionKind> kinds() {
        return EnumSet.of(CollectionKind.CALENDAR, CollectionKind.CONTACTS);
    }

    private Path ownerFolder(Owner owner) {
        return root.resolve(VdirNames.ownerFolder(owner.account().userId()));
    }

    @Override
    public List<CollectionRef> collections(Owner owner, CollectionKind kind) throws StoreException {
        Path folder = ownerFolder(owner);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> matching = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder, Files::isDirectory)) {
            for (Path child : children) {
                if (!child.getFileName().toString().startsWith(".") && kindOf(child).filter(kind::equals).isPresent()) {
                    matching.add(child);
                }
            }
        } catch (IOException e) {
            throw failure("listing " + folder, e);
        }
        matching.sort(Comparator.comparing(p -> p.getFileName().toString()));
        String defaultName = defaultFolder(kind);
        Path defaultPath = matching.stream().filter(p -> p.getFileName().toString().equals(defaultName)).findFirst()
                .orElse(matching.isEmpty() ? null : matching.get(0));
        List<CollectionRef> refs = new ArrayList<>();
        for (Path path : matching) {
            refs.add(new CollectionRef(kind, id(path), displayName(path), path.equals(defaultPath)));
        }
        return refs;
    }

    @Override
    public CollectionRef ensureCollection(Owner owner, CollectionKind kind, String name) throws StoreException {
        String wanted = name == null ? "" : name.strip();
        List<CollectionRef> existing = collections(owner, kind);
        Optional<CollectionRef> found = wanted.isEmpty()
                ? existing.stream().filter(CollectionRef::isDefault).findFirst()
                : existing.stream().filter(c -> c.displayName().equalsIgnoreCase(wanted) || c.id().endsWith("/" + VdirNames.collectionFolder(wanted))).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        String folderName = wanted.isEmpty() ? defaultFolder(kind) : VdirNames.collectionFolder(wanted);
        Path folder = ownerFolder(owner).resolve(folderName);
        try {
            Optional<CollectionKind> present = Files.isDirectory(folder) ? kindOf(folder) : Optional.empty();
            if (present.isPresent() && present.get() != kind) {
                throw new StoreException("The folder " + folder + " already holds " + present.get().name().toLowerCase(Locale.ROOT)
                        + " items; choose another name for the " + kind.name().toLowerCase(Locale.ROOT) + " collection", false);
            }
            Files.createDirectories(folder);
            AtomicFiles.write(folder.resolve(KIND_FILE), kind.name().toLowerCase(Locale.ROOT) + "\n");
            if (!Files.exists(folder.resolve(DISPLAYNAME_FILE))) {
                AtomicFiles.write(folder.resolve(DISPLAYNAME_FILE), wanted.isEmpty() ? (kind == CollectionKind.CALENDAR ? "Personal" : "Contacts") : wanted);
            }
        } catch (IOException e) {
            throw failure("creating " + folder, e);
        }
        return collections(owner, kind).stream().filter(c -> c.id().equals(id(folder))).findFirst()
                .orElseThrow(() -> new StoreException("Created " + folder + " but cannot list it", false));
    }

    @Override
    public ItemSource source(Owner owner, CollectionRef collection) throws StoreException {
        return new VdirItemSource(collection, folder(collection));
    }

    @Override
    public ItemTarget target(Owner owner, CollectionRef collection) throws StoreException {
        return new VdirItemTarget(collection, folder(collection));
    }

    /** The folder of a collection id, refusing ids that point outside the root. */
    Path folder(CollectionRef collection) throws StoreException {
        Path folder = root.resolve(collection.id()).normalize();
        if (!folder.startsWith(root) || folder.equals(root)) {
            throw new StoreException("Collection id " + collection.id() + " is not a folder below " + root, false);
        }
        if (!Files.isDirectory(folder)) {
            throw new StoreException("The collection folder " + folder + " does not exist (removed by hand?)", false);
        }
        return folder;
    }

    String id(Path folder) {
        return root.relativize(folder).toString().replace('\\', '/');
    }

    private static String defaultFolder(CollectionKind kind) {
        return kind == CollectionKind.CALENDAR ? "personal" : "contacts";
    }

    private static Optional<CollectionKind> kindOf(Path folder) throws IOException {
        Path marker = folder.resolve(KIND_FILE);
        if (Files.exists(marker)) {
            String text = Files.readString(marker, StandardCharsets.UTF_8).strip();
            return text.equals("contacts") ? Optional.of(CollectionKind.CONTACTS) : text.equals("calendar") ? Optional.of(CollectionKind.CALENDAR) : Optional.empty();
        }
        // a folder made by vdirsyncer or by hand: judge by its files
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".ics")) {
                    return Optional.of(CollectionKind.CALENDAR);
                }
                if (name.endsWith(".vcf")) {
                    return Optional.of(CollectionKind.CONTACTS);
                }
            }
        }
        return Optional.empty();
    }

    private static String displayName(Path folder) {
        try {
            Path file = folder.resolve(DISPLAYNAME_FILE);
            if (Files.exists(file)) {
                String name = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException e) {
            // the folder name will do
        }
        return folder.getFileName().toString();
    }

    static StoreException failure(String what, IOException e) {
        return new StoreException("File system error while " + what + ": " + e, false, e);
    }
}
