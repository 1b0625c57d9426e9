package org.sparkmnist.testing;

import java.io.File;
import java.io.IOException;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** A real HDFS in this JVM for integration tests: one NameNode and one DataNode, every socket on 127.0.0.1. */
public final class MiniHdfs {

    private MiniHdfs() {
    }

    public static MiniDFSCluster start(File baseDir) throws IOException {
        // The NameNode's and DataNode's own chatter (and their shutdown) is not what the tests are about.
        Configurator.setLevel("org.apache.hadoop", Level.ERROR);
        Configurator.setLevel("org.apache.hadoop.hdfs.server", Level.OFF);
        FileUtils.deleteDirectory(baseDir);
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.getPath());
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.namenode.https-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).checkDataNodeAddrConfig(true).build();
        cluster.waitActive();
        return cluster;
    }
}
