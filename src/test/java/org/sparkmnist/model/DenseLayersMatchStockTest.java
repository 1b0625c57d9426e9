package org.sparkmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.model.layers.DenseLayerImpl;
import org.sparkmnist.model.layers.OutputLayerImpl;

/**
 * The networks NetworkFactory builds compute what the same networks with DL4J's own layers compute:
 * outputs, loss, gradients and a few training steps, on minibatches of MNIST's shape (128 x 784), in
 * float, within the rounding of a differently ordered matrix product.
 */
class DenseLayersMatchStockTest {

    private static final int BATCH = 128;
    private static final int PIXELS = 784;
    private static final int CLASSES = 10;
    /** Relative tolerance of float products summed in another order, plus an absolute floor near zero. */
    private static final double RELATIVE = 1e-4;
    private static final double ABSOLUTE = 1e-6;

    static ModelSpec mlp(String... overrides) {
        List<String> args = new ArrayList<>(List.of(overrides));
        return SettingsLoader.load(args).models().stream().filter(m -> m.name().equals("mlp")).findFirst().orElseThrow();
    }

    static MultiLayerNetwork[] oursAndStock(ModelSpec spec) {
        MultiLayerNetwork ours = new MultiLayerNetwork(NetworkFactory.configuration(spec, PIXELS, CLASSES));
        ours.init();
        MultiLayerNetwork stock = new MultiLayerNetwork(StockFormat.toStock(NetworkFactory.configuration(spec, PIXELS, CLASSES)));
        stock.init();
        assertEquals(stock.params(), ours.params(), "same seed, same initial weights");
        return new MultiLayerNetwork[] {ours, stock};
    }

    /** Digits-like minibatches: most pixels 0, the rest spread over 0..1, one class each. */
    private static DataSet minibatch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray pixels = Nd4j.rand(DataType.FLOAT, BATCH, PIXELS);
        INDArray ink = Nd4j.rand(DataType.FLOAT, BATCH, PIXELS).gt(0.8).castTo(DataType.FLOAT);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, (int) ((seed + i * 7L) % CLASSES), 1f);
        }
        return new DataSet(pixels.muli(ink), labels);
    }

    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(List.of(expected.shape().length, expected.length()), List.of(actual.shape().length, actual.length()), what);
        INDArray difference = Transforms.abs(expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)));
        INDArray allowed = Transforms.abs(expected.castTo(DataType.DOUBLE)).muli(RELATIVE).addi(ABSOLUTE);
        double worst = difference.sub(allowed).maxNumber().doubleValue();
        assertTrue(worst <= 0, what + ": max |stock - ours| exceeds tolerance by " + worst);
    }

    static void assertSameStep(MultiLayerNetwork ours, MultiLayerNetwork stock, DataSet batch, String what) {
        for (MultiLayerNetwork network : List.of(ours, stock)) {
            // The same dropout masks for both: they draw from the same generator in the same order.
            Nd4j.getRandom().setSeed(99);
            network.setInput(batch.getFeatures());
            network.setLabels(batch.getLabels());
            network.computeGradientAndScore();
        }
        assertEquals(stock.score(), ours.score(), Math.abs(stock.score()) * RELATIVE, what + ": loss");
        Map<String, INDArray> expected = stock.gradient().gradientForVariable();
        Map<String, INDArray> actual = ours.gradient().gradientForVariable();
        assertEquals(expected.keySet(), actual.keySet(), what + ": gradient variables");
        for (String variable : expected.keySet()) {
            assertClose(expected.get(variable), actual.get(variable), what + ": gradient of " + variable);
        }
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void outputsLossAndGradientsMatchForEveryActivation(HiddenActivation activation) {
        MultiLayerNetwork[] networks = oursAndStock(mlp("model.defaults.activation=" + activation.configName()));
        DataSet batch = minibatch(1);
        assertClose(networks[1].output(batch.getFeatures(), false), networks[0].output(batch.getFeatures(), false),
                activation.configName() + ": output");
        assertSameStep(networks[0], networks[1], batch, activation.configName());
    }

    @Test
    void dropoutAndL2TrainTheSameAsStock() {
        MultiLayerNetwork[] networks = oursAndStock(mlp("model.defaults.dropout=0.3", "model.defaults.l2=1e-4"));
        assertSameStep(networks[0], networks[1], minibatch(2), "dropout 0.3, l2 1e-4");
    }

    @Test
    void softmaxModelMatchesStock() {
        ModelSpec softmax = SettingsLoader.load(List.of()).models().stream().filter(m -> m.name().equals("softmax")).findFirst()
                .orElseThrow();
        MultiLayerNetwork[] networks = oursAndStock(softmax);
        assertSameStep(networks[0], networks[1], minibatch(3), "softmax");
    }

    @Test
    void tenAdamStepsLeaveTheSameParameters() {
        MultiLayerNetwork[] networks = oursAndStock(mlp());
        for (int step = 0; step < 10; step++) {
            DataSet batch = minibatch(10 + step);
            networks[0].fit(batch);
            networks[1].fit(batch);
            assertEquals(networks[1].score(), networks[0].score(), Math.abs(networks[1].score()) * 1e-3, "loss after step " + step);
        }
        double drift = networks[0].params().sub(networks[1].params()).norm2Number().doubleValue();
        double travelled = networks[1].params().sub(oursAndStock(mlp())[1].params()).norm2Number().doubleValue();
        assertTrue(drift < 1e-3 * travelled, "ours and stock drifted " + drift + " apart over a path of length " + travelled);
    }

    @Test
    void firstLayerReturnsNoInputGradientTheOthersDo() {
        MultiLayerNetwork network = oursAndStock(mlp())[0];
        DataSet batch = minibatch(4);
        network.setInput(batch.getFeatures());
        network.setLabels(batch.getLabels());
        network.initGradientsView();
        network.feedForward(true, false);
        Layer first = network.getLayer(0);
        Layer second = network.getLayer(1);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, BATCH, 500);
        assertTrue(first instanceof DenseLayerImpl && network.getOutputLayer() instanceof OutputLayerImpl);
        assertNull(first.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces()).getSecond());
        INDArray secondInputGradient = second.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        assertNotNull(secondInputGradient);
        assertEquals('c', secondInputGradient.ordering());
    }

    @Test
    void backpropAfterANewInputRecomputesThePreActivation() {
        MultiLayerNetwork[] networks = oursAndStock(mlp());
        DataSet first = minibatch(5);
        DataSet second = minibatch(6);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, BATCH, 500);
        List<INDArray> weightGradients = new ArrayList<>();
        for (MultiLayerNetwork network : networks) {
            network.initGradientsView();
            Layer layer = network.getLayer(1);
            INDArray hidden = network.feedForwardToLayer(0, first.getFeatures(), true).get(1);
            layer.setInput(hidden, LayerWorkspaceMgr.noWorkspaces());
            layer.activate(true, LayerWorkspaceMgr.noWorkspaces());
            layer.setInput(network.feedForwardToLayer(0, second.getFeatures(), true).get(1), LayerWorkspaceMgr.noWorkspaces());
            weightGradients.add(layer.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces()).getFirst()
                    .getGradientFor("W").dup());
        }
        assertClose(weightGradients.get(1), weightGradients.get(0), "weight gradient after a new input");
    }
}
