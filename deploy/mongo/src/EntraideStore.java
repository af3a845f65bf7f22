// The embedded document store of Entraide's own machines: mongo-java-server on 127.0.0.1.
//
//   java -Xmx512m -cp '<libs>/*:<classes>' EntraideStore <port> memory
//   java -Xmx512m -cp '<libs>/*:<classes>' EntraideStore <port> h2 <file>
//
// Three things are ours, the rest is the library:
//  - it reports MongoDB 4.4 (wire version 9): mongo-java-server 1.47 says 8, which the
//    locked PyMongo 4.20 refuses; the commands PyMongo sends at 9 are the same ones.
//  - with the H2 backend, every message that changed something is committed to the file
//    before it is answered, so an acknowledged write survives a kill -9 of this process
//    (H2's own autocommit runs about once a second and would lose the last second).
//  - a filter that names more than an index's keys still uses the index, as MongoDB does:
//    mongo-java-server uses an index only when the filter has exactly its keys, so a
//    guarded update ({_id: x, state: "proposed"}) scanned the whole collection (35 ms at
//    100,000 documents against 0.2 ms by _id alone). Here the index narrows the candidates
//    and the whole filter is still applied to each of them.
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractMongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

public final class EntraideStore {

    /** MongoDB 4.4: the oldest server PyMongo 4.20 accepts. */
    enum Mongo44 implements MongoVersion {
        INSTANCE;

        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    }

    /** The candidates' positions from a unique index whose keys the filter names among
     * others, or null when none serves (the library then decides, as before). */
    static <P> Iterable<P> narrowed(AbstractMongoCollection<P> collection, Document query) {
        if (query.size() < 2) {
            return null; // exactly an index's keys, or none: the library's own path
        }
        for (Index<P> index : indexesOf(collection)) {
            Document part = new Document();
            for (IndexKey key : index.getKeys()) {
                if (!query.containsKey(key.getKey())) {
                    break;
                }
                part.put(key.getKey(), query.get(key.getKey()));
            }
            if (part.size() == index.getKeys().size() && index.canHandle(part)) {
                return index.getPositions(part);
            }
        }
        return null;
    }

    private static final Field INDEXES;

    static {
        try {
            INDEXES = AbstractMongoCollection.class.getDeclaredField("indexes");
            INDEXES.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("mongo-java-server changed: no indexes field", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <P> List<Index<P>> indexesOf(AbstractMongoCollection<P> collection) {
        try {
            return (List<Index<P>>) INDEXES.get(collection);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class IndexedMemoryCollection extends MemoryCollection {
        IndexedMemoryCollection(MongoDatabase db, String name, CollectionOptions options, CursorRegistry cursors) {
            super(db, name, options, cursors);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit,
                                             int batchSize, Document fields) {
            Iterable<Integer> positions = narrowed(this, query);
            return positions == null
                ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fields)
                : matchDocuments(query, positions, orderBy, skip, limit, batchSize, fields);
        }
    }

    static final class IndexedMemoryBackend extends MemoryBackend {
        @Override
        public MemoryDatabase openOrCreateDatabase(String name) {
            return new MemoryDatabase(name, getCursorRegistry()) {
                @Override
                protected MemoryCollection openOrCreateCollection(String collection, CollectionOptions options) {
                    return new IndexedMemoryCollection(this, collection, options, cursorRegistry);
                }
            };
        }
    }

    static final class IndexedH2Collection extends H2Collection {
        IndexedH2Collection(MongoDatabase db, String name, CollectionOptions options,
                            MVMap<Object, Document> data, MVMap<String, Object> meta, CursorRegistry cursors) {
            super(db, name, options, data, meta, cursors);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit,
                                             int batchSize, Document fields) {
            Iterable<Object> positions = narrowed(this, query);
            return positions == null
                ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fields)
                : matchDocuments(query, positions, orderBy, skip, limit, batchSize, fields);
        }
    }

    /** H2 (MVStore) backend that commits before it answers a message that wrote. */
    static final class DurableH2Backend extends H2Backend {
        private final MVStore store;

        DurableH2Backend(MVStore store) {
            super(store);
            this.store = store;
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String name) {
            // called from H2Backend's constructor too (reopening the file's databases), before
            // this class's fields are set: the store comes from the parent's getter
            MVStore mv = getMvStore();
            return new H2Database(name, mv, getCursorRegistry()) {
                @Override
                protected MongoCollection<Object> openOrCreateCollection(String collection, CollectionOptions options) {
                    // the map names are H2Database's own ("databases.", "meta."), so files
                    // written before this class, or by the plain H2Backend, open the same
                    String full = getFullCollectionNamespace(collection);
                    MVMap<Object, Document> data = mv.openMap("databases." + full);
                    MVMap<String, Object> meta = mv.openMap("meta." + full);
                    return new IndexedH2Collection(this, collection, options, data, meta, cursorRegistry);
                }
            };
        }

        @Override
        public Document handleMessage(MongoMessage message) {
            Document answer = super.handleMessage(message);
            if (store.hasUnsavedChanges()) {
                store.commit();
            }
            return answer;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: EntraideStore <port> memory | EntraideStore <port> h2 <file>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        MongoBackend backend;
        switch (args[1]) {
            case "memory" -> backend = new IndexedMemoryBackend();
            case "h2" -> {
                if (args.length < 3) {
                    System.err.println("h2 needs a file");
                    System.exit(2);
                }
                MVStore store = new MVStore.Builder().fileName(args[2]).open();
                backend = new DurableH2Backend(store);
            }
            default -> {
                System.err.println("unknown backend: " + args[1]);
                System.exit(2);
                return;
            }
        }
        backend.version(Mongo44.INSTANCE);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        System.err.println("entraide-store: " + args[1] + " backend on 127.0.0.1:" + port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown(); // closes the backend: H2 writes its last state
            stopped.countDown();
        }));
        stopped.await();
    }
}
