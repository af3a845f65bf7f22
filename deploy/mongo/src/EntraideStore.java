// The embedded document store of Entraide's own machines: mongo-java-server on 127.0.0.1.
//
//   java -Xmx512m -cp '<libs>/*:<classes>' EntraideStore <port> memory
//   java -Xmx512m -cp '<libs>/*:<classes>' EntraideStore <port> h2 <file>
//
// Two things are ours, the rest is the library:
//  - it reports MongoDB 4.4 (wire version 9): mongo-java-server 1.47 says 8, which the
//    locked PyMongo 4.20 refuses; the commands PyMongo sends at 9 are the same ones.
//  - with the H2 backend, every message that changed something is committed to the file
//    before it is answered, so an acknowledged write survives a kill -9 of this process
//    (H2's own autocommit runs about once a second and would lose the last second).
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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

    /** H2 (MVStore) backend that commits before it answers a message that wrote. */
    static final class DurableH2Backend extends H2Backend {
        private final MVStore store;

        DurableH2Backend(MVStore store) {
            super(store);
            this.store = store;
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
            case "memory" -> backend = new MemoryBackend();
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
