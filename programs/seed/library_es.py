"""The Spanish texts of the exercise library (programs/seed/library.py), by slug.

Neutral Latin-American Spanish in the "usted" form, for a patient reading on a phone.
Every exercise has as many instruction lines as in English, every template every
phase (by number). Contraindication reasons are for the therapist and stay English.
"""

from __future__ import annotations

_STOP = (
    "Deténgase y avise a su terapeuta si el dolor baja más por la pierna, o si el "
    "adormecimiento o el hormigueo empeoran."
)
_CENTRAL = (
    "Que el dolor salga de la pierna y se acerque al centro de la espalda es una buena "
    "señal. Que el dolor baje más por la pierna no lo es: deténgase y avise a su terapeuta."
)

EXERCISES_ES: dict[str, dict] = {
    "prone-lying": {
        "name": "Acostado boca abajo",
        "summary": (
            "Acostarse boca abajo para que la parte baja de la espalda tome una curva suave; "
            "el primer paso de la progresión de extensión."
        ),
        "instructions": [
            "Acuéstese boca abajo en una cama firme o en el piso, con los brazos a los lados.",
            "Gire la cabeza hacia el lado que le resulte más cómodo.",
            "Respire despacio y deje la espalda, las caderas y las piernas completamente sueltas.",
            "Quédese así de 2 a 3 minutos.",
            "Levántese despacio: gire de lado y luego empújese hacia arriba con los brazos.",
            _CENTRAL,
        ],
    },
    "prone-on-elbows": {
        "name": "Boca abajo apoyado en los codos",
        "summary": (
            "Descansar boca abajo apoyado en los codos, una extensión sostenida de la parte "
            "baja de la espalda que sigue a estar acostado boca abajo."
        ),
        "instructions": [
            "Acuéstese boca abajo y luego apóyese en los codos y los antebrazos.",
            "Mantenga los codos debajo de los hombros y las caderas en el piso.",
            "Deje que la parte baja de la espalda y el vientre bajen hacia el piso; no apriete "
            "los glúteos.",
            "Respire despacio y quédese así de 2 a 3 minutos.",
            "Bájese de nuevo y quédese acostado unas cuantas respiraciones antes de levantarse.",
            _CENTRAL,
        ],
    },
    "prone-press-up": {
        "name": "Flexión de brazos boca abajo (extensión acostado)",
        "summary": (
            "Extensión lumbar repetida hasta el final del movimiento, acostado boca abajo; el "
            "ejercicio principal de McKenzie cuando la extensión alivia los síntomas."
        ),
        "instructions": [
            "Acuéstese boca abajo con las manos planas debajo de los hombros, como para hacer "
            "una lagartija.",
            "Levante la parte de arriba del cuerpo estirando los brazos. Mantenga las caderas "
            "en el piso.",
            "Deje que la parte baja de la espalda se hunda. Los brazos hacen el trabajo; la "
            "espalda y los glúteos quedan sueltos.",
            "Haga una pausa de un segundo arriba y luego bájese despacio.",
            "Repita 10 veces, subiendo un poco más cada vez, hasta donde se sienta cómodo.",
            "Los primeros días, haga una serie más o menos cada 2 horas mientras esté despierto.",
            _CENTRAL,
        ],
    },
    "extension-in-lying-hips-off-centre": {
        "name": "Extensión acostado con las caderas hacia un lado",
        "summary": (
            "Flexión de brazos boca abajo con las caderas movidas hacia el lado contrario al "
            "dolor, para síntomas de un solo lado o un desvío lateral que no mejora con la "
            "extensión en el centro."
        ),
        "instructions": [
            "Acuéstese boca abajo con las manos debajo de los hombros.",
            "Mueva las caderas unos centímetros hacia el lado contrario al dolor (dolor en la "
            "pierna derecha: caderas hacia la izquierda). Deje los hombros donde están.",
            "Levante la parte de arriba del cuerpo estirando los brazos y deje que la espalda "
            "se hunda.",
            "Haga una pausa de un segundo y luego bájese despacio.",
            "Repita 10 veces, con las caderas movidas hacia el lado todo el tiempo.",
            _CENTRAL,
        ],
    },
    "side-glide-standing": {
        "name": "Deslizamiento lateral de pie",
        "summary": (
            "Autocorrección de un desvío lateral: deslizar la pelvis hacia un lado, debajo del "
            "tronco, contra una pared, antes de que la extensión sea posible."
        ),
        "instructions": [
            "Párese de lado a una pared, a unos 30 centímetros, con el lado del dolor hacia "
            "afuera.",
            "Apoye en la pared el codo del lado de la pared, pegado a las costillas.",
            "Ponga la otra mano en la cadera.",
            "Empuje las caderas despacio hacia la pared, con los hombros nivelados.",
            "Sostenga uno o dos segundos y luego vuelva suavemente. Repita 10 veces.",
            "Cuando sienta el cuerpo derecho, haga algunas inclinaciones hacia atrás de pie.",
            _STOP,
        ],
    },
    "standing-extension": {
        "name": "Extensión de pie",
        "summary": (
            "Inclinarse hacia atrás de pie varias veces, para mantener la extensión después de "
            "estar sentado, agacharse o levantar cosas, y cuando no puede acostarse."
        ),
        "instructions": [
            "Párese con los pies separados y las manos en la parte baja de la espalda, con los "
            "dedos hacia abajo.",
            "Mantenga las rodillas estiradas e incline la parte de arriba del cuerpo hacia "
            "atrás hasta donde sea cómodo.",
            "Use las manos como punto de apoyo y empuje suavemente las caderas hacia adelante.",
            "Haga una pausa de un segundo y luego vuelva a enderezarse.",
            "Repita 10 veces, sobre todo después de estar sentado, agacharse o levantar cosas.",
            _CENTRAL,
        ],
    },
    "flexion-in-lying": {
        "name": "Flexión acostado (rodillas al pecho)",
        "summary": (
            "Llevar las dos rodillas al pecho varias veces, acostado; el primer ejercicio de "
            "flexión cuando la flexión alivia los síntomas."
        ),
        "instructions": [
            "Acuéstese boca arriba con las rodillas dobladas y los pies apoyados.",
            "Lleve las dos rodillas hacia el pecho y sosténgalas con las manos.",
            "Jale suavemente las rodillas lo más cerca del pecho que le resulte cómodo.",
            "Sostenga uno o dos segundos y luego baje los pies a la cama, uno a la vez.",
            "Repita 10 veces.",
            _STOP,
        ],
    },
    "flexion-in-sitting": {
        "name": "Flexión sentado",
        "summary": (
            "Inclinarse hacia adelante varias veces desde sentado, para avanzar en la flexión "
            "cuando la flexión acostado ya es fácil."
        ),
        "instructions": [
            "Siéntese en la orilla de una silla firme con los pies bien separados.",
            "Ponga las manos sobre las rodillas.",
            "Inclínese despacio hacia adelante, deslizando las manos hacia el piso entre los pies.",
            "Llegue hasta donde sea cómodo y luego enderécese despacio.",
            "Repita 10 veces.",
            _STOP,
        ],
    },
    "flexion-in-standing": {
        "name": "Flexión de pie",
        "summary": (
            "Inclinarse hacia adelante varias veces de pie, el último paso de la progresión de "
            "flexión cuando la flexión sentado ya es fácil."
        ),
        "instructions": [
            "Párese con los pies separados y las rodillas estiradas pero no trabadas.",
            "Deslice las manos por el frente de las piernas mientras se inclina despacio hacia "
            "adelante.",
            "Llegue solo hasta donde sea cómodo.",
            "Vuelva a enderezarse despacio, apoyando las manos en los muslos si lo necesita.",
            "Repita 10 veces.",
            _STOP,
        ],
    },
    "slouch-overcorrect": {
        "name": "Encorvarse y sobrecorregir",
        "summary": (
            "Pasar, sentado, de estar totalmente encorvado a estar totalmente derecho con la "
            "curva de la espalda baja marcada, y aflojar un poco, para aprender a sentarse bien."
        ),
        "instructions": [
            "Siéntese en la orilla de una silla y déjese encorvar por completo.",
            "Luego siéntese lo más derecho que pueda, marcando al máximo la curva de la parte "
            "baja de la espalda.",
            "Sostenga un momento y luego vuelva a encorvarse por completo.",
            "Repita 10 veces, pasando suavemente de una posición a la otra.",
            "Termine en la posición derecha y luego afloje más o menos un 10 por ciento. Esa es "
            "su buena postura para sentarse.",
            _STOP,
        ],
    },
    "neutral-spine-pelvic-tilts": {
        "name": "Encontrar la columna neutra (inclinaciones de pelvis)",
        "summary": (
            "Mecer la pelvis entre la espalda baja plana y arqueada para encontrar la posición "
            "intermedia más cómoda, el punto de partida de la estabilización."
        ),
        "instructions": [
            "Acuéstese boca arriba con las rodillas dobladas y los pies apoyados.",
            "Apriete suavemente el abdomen y pegue la parte baja de la espalda al piso.",
            "Luego arquee un poco la parte baja de la espalda, separándola del piso.",
            "Mézase despacio entre las dos posiciones, 10 veces, en un rango cómodo.",
            "Deténgase en el medio, donde la espalda se sienta más cómoda. Esa es su columna "
            "neutra.",
            _STOP,
        ],
    },
    "abdominal-bracing": {
        "name": "Activación abdominal",
        "summary": (
            "Tensar suavemente los músculos del abdomen alrededor de la columna neutra y "
            "sostenerlos mientras respira normalmente."
        ),
        "instructions": [
            "Acuéstese boca arriba con las rodillas dobladas y la columna en posición neutra.",
            "Apriete los músculos del abdomen como si alguien fuera a picarle la barriga con "
            "el dedo.",
            "Use solo un poco de fuerza; la espalda no debe aplanarse ni arquearse.",
            "Siga respirando normalmente y sostenga 5 segundos; luego relájese.",
            "Repita 10 veces. Más adelante, practique lo mismo sentado y de pie.",
            _STOP,
        ],
    },
    "dead-bug": {
        "name": "Bicho muerto",
        "summary": (
            "Estirar un brazo y la pierna contraria por turnos, boca arriba, mientras el "
            "abdomen activado mantiene la columna en posición neutra."
        ),
        "instructions": [
            "Acuéstese boca arriba con las caderas y las rodillas dobladas a 90 grados y los "
            "brazos apuntando al techo.",
            "Active el abdomen y mantenga quieta la parte baja de la espalda.",
            "Baje despacio un brazo por encima de la cabeza y estire la pierna contraria hacia "
            "el piso.",
            "Llegue solo hasta donde pueda sin que la espalda se arquee y luego regrese.",
            "Cambie de lado. Cada lado cuenta como una repetición.",
            "Empiece moviendo solo las piernas si el movimiento completo es muy difícil.",
            _STOP,
        ],
    },
    "bird-dog": {
        "name": "Perro de caza (bird dog)",
        "summary": (
            "Estirar un brazo y la pierna contraria en cuatro puntos mientras el tronco queda "
            "quieto, para la resistencia de los músculos de la espalda y la cadera."
        ),
        "instructions": [
            "Póngase en cuatro puntos: manos debajo de los hombros y rodillas debajo de las "
            "caderas.",
            "Active el abdomen y mantenga la espalda plana como una mesa.",
            "Estire despacio un brazo hacia adelante y la pierna contraria hacia atrás, a la "
            "altura del cuerpo.",
            "Sostenga 5 segundos sin que la espalda se hunda ni las caderas se ladeen.",
            "Regrese y cambie de lado. Cada lado cuenta como una repetición.",
            "Si es muy difícil, al principio mueva solo una pierna o solo un brazo.",
            _STOP,
        ],
    },
    "glute-bridge": {
        "name": "Puente de glúteos",
        "summary": (
            "Levantar las caderas acostado boca arriba, con la columna neutra y el abdomen "
            "activado, para fortalecer los glúteos."
        ),
        "instructions": [
            "Acuéstese boca arriba con las rodillas dobladas y los pies apoyados, separados al "
            "ancho de las caderas.",
            "Active el abdomen y apriete los glúteos.",
            "Levante las caderas hasta que el cuerpo forme una línea recta de los hombros a las "
            "rodillas.",
            "No arquee la espalda arriba. Sostenga 5 segundos.",
            "Baje despacio y repita.",
            _STOP,
        ],
    },
    "hook-lying-march": {
        "name": "Marcha acostado boca arriba",
        "summary": (
            "Levantar un pie a la vez, acostado boca arriba con las rodillas dobladas, mientras "
            "el abdomen activado mantiene la pelvis nivelada."
        ),
        "instructions": [
            "Acuéstese boca arriba con las rodillas dobladas y los pies apoyados.",
            "Active el abdomen y busque su columna neutra.",
            "Levante despacio un pie unos centímetros del piso, con la rodilla doblada.",
            "Mantenga la pelvis nivelada; no deje que se mueva ni que la espalda se arquee.",
            "Baje el pie y levante el otro. Cada lado cuenta como una repetición.",
            _STOP,
        ],
    },
    "side-plank-knees": {
        "name": "Plancha lateral sobre las rodillas",
        "summary": (
            "Mantener el cuerpo recto apoyado en un antebrazo y las rodillas, para la "
            "resistencia de los costados del tronco con poca carga en la columna."
        ),
        "instructions": [
            "Acuéstese de lado con las rodillas dobladas hacia atrás y el codo debajo del hombro.",
            "Active el abdomen.",
            "Levante las caderas para que el cuerpo forme una línea recta de la cabeza a las "
            "rodillas.",
            "Sostenga 10 segundos, respirando normalmente, y luego baje.",
            "Haga todas las repeticiones de un lado y luego voltéese y haga el otro lado.",
            _STOP,
        ],
    },
    "side-plank-full": {
        "name": "Plancha lateral",
        "summary": (
            "Mantener el cuerpo recto apoyado en un antebrazo y los pies, el siguiente paso "
            "después de la plancha lateral sobre las rodillas."
        ),
        "instructions": [
            "Acuéstese de lado con las piernas estiradas, los pies uno sobre otro o uno delante "
            "del otro, y el codo debajo del hombro.",
            "Active el abdomen.",
            "Levante las caderas para que el cuerpo forme una línea recta de la cabeza a los pies.",
            "Sostenga 10 segundos, respirando normalmente, y luego baje.",
            "Haga todas las repeticiones de un lado y luego del otro.",
            "Vuelva a la versión sobre las rodillas si no puede mantener las caderas arriba.",
            _STOP,
        ],
    },
    "mcgill-curl-up": {
        "name": "Abdominal de McGill",
        "summary": (
            "Levantar un poco la cabeza y los hombros con la parte baja de la espalda apoyada "
            "en posición neutra, para trabajar el abdomen sin doblar la columna lumbar."
        ),
        "instructions": [
            "Acuéstese boca arriba con una rodilla doblada y la otra pierna estirada.",
            "Deslice las manos, con las palmas hacia abajo, debajo de la curva de la parte baja "
            "de la espalda para apoyarla.",
            "Active el abdomen.",
            "Levante la cabeza y los hombros apenas 2 o 3 centímetros del piso. Mantenga la "
            "barbilla metida y no doble la parte baja de la espalda.",
            "Sostenga 8 segundos y luego baje. A la mitad, cambie la pierna que tiene doblada.",
            _STOP,
        ],
    },
    "front-plank": {
        "name": "Plancha de frente",
        "summary": (
            "Mantener el cuerpo recto sobre los antebrazos y las puntas de los pies (o las "
            "rodillas), para la resistencia del abdomen alrededor de la columna neutra."
        ),
        "instructions": [
            "Acuéstese boca abajo y luego apóyese en los antebrazos, con los codos debajo de "
            "los hombros.",
            "Active el abdomen y levante el cuerpo sobre las puntas de los pies, o sobre las "
            "rodillas para empezar.",
            "Mantenga una línea recta de la cabeza a los talones; no deje que la espalda se "
            "hunda ni que las caderas suban.",
            "Sostenga 10 segundos, respirando normalmente, y luego baje.",
            "Aumente el tiempo solo cuando pueda mantener la buena postura todo el rato.",
            _STOP,
        ],
    },
    "stability-ball-bridge": {
        "name": "Puente con pelota de ejercicio",
        "summary": (
            "Un puente con los talones sobre una pelota de ejercicio, que suma equilibrio al "
            "control del tronco y los glúteos."
        ),
        "instructions": [
            "Acuéstese boca arriba con los talones y la parte baja de las pantorrillas sobre una "
            "pelota de ejercicio.",
            "Apoye los brazos en el piso a los lados para mantener el equilibrio.",
            "Active el abdomen y levante las caderas hasta que el cuerpo quede recto.",
            "Mantenga la pelota quieta. Sostenga 3 segundos y luego baje despacio.",
            "No arquee la espalda arriba.",
            _STOP,
        ],
    },
    "pallof-press": {
        "name": "Press Pallof",
        "summary": (
            "Empujar una banda hacia adelante desde el pecho sin dejar que su jalón lo haga "
            "girar, para controlar el tronco contra la rotación."
        ),
        "instructions": [
            "Amarre una banda elástica a algo firme a la altura del pecho.",
            "Párese de lado a ella, con los pies al ancho de las caderas, sosteniendo la banda "
            "contra el pecho con las dos manos.",
            "Active el abdomen.",
            "Empuje las manos hacia adelante. No deje que la banda le gire el cuerpo.",
            "Sostenga 3 segundos y luego regrese las manos al pecho.",
            "Haga todas las repeticiones mirando hacia un lado y luego dé la vuelta.",
            _STOP,
        ],
    },
    "band-row": {
        "name": "Remo con banda elástica",
        "summary": (
            "Jalar una banda hacia el cuerpo con el abdomen activado y la columna neutra, para "
            "fortalecer la parte alta de la espalda sin mover la parte baja."
        ),
        "instructions": [
            "Amarre una banda elástica a algo firme a la altura de la cintura.",
            "Párese de frente a ella con las rodillas un poco dobladas, con un extremo en cada "
            "mano.",
            "Active el abdomen y mantenga la espalda quieta.",
            "Lleve los codos hacia atrás, juntando los omóplatos.",
            "Regrese despacio y repita.",
            _STOP,
        ],
    },
    "hip-hinge-lift": {
        "name": "Levantar cosas en la vida diaria (bisagra de cadera y sentadilla)",
        "summary": (
            "Practicar cómo levantar cosas con la columna neutra y el abdomen activado, "
            "doblando caderas y rodillas, para llevar la estabilización a las tareas diarias."
        ),
        "instructions": [
            "Párese cerca de una caja o bolsa liviana, con los pies al ancho de los hombros.",
            "Active el abdomen y mantenga la espalda derecha.",
            "Lleve las caderas hacia atrás y doble las rodillas para bajar hasta la carga.",
            "Sostenga la carga pegada al cuerpo y levántese estirando las caderas y las rodillas.",
            "Bájela de la misma forma. Gire con los pies, nunca torciendo la espalda.",
            "Empiece con poco peso y auméntelo solo cuando el movimiento le resulte fácil.",
            _STOP,
        ],
    },
    "prone-back-extension": {
        "name": "Superman (extensión de espalda boca abajo)",
        "summary": (
            "Levantar los brazos y las piernas acostado boca abajo, para fortalecer los "
            "músculos de la espalda contra la gravedad; un ejercicio de etapa avanzada."
        ),
        "instructions": [
            "Acuéstese boca abajo con los brazos estirados hacia adelante.",
            "Active el abdomen y apriete los glúteos.",
            "Levante los brazos, el pecho y las piernas unos centímetros del piso.",
            "Mantenga el cuello largo y mire al piso. Sostenga 3 segundos.",
            "Baje despacio y descanse un momento entre repeticiones.",
            "Para hacerlo más fácil, levante solo los brazos o solo las piernas.",
            _STOP,
        ],
    },
    "supine-piriformis-stretch": {
        "name": "Estiramiento del piriforme acostado",
        "summary": (
            "Jalar una rodilla hacia el hombro contrario, acostado boca arriba, para estirar el "
            "piriforme y los músculos profundos del glúteo."
        ),
        "instructions": [
            "Acuéstese boca arriba con las dos rodillas dobladas y los pies apoyados.",
            "Sostenga con las dos manos la rodilla del lado que le duele.",
            "Jale suavemente esa rodilla cruzando el cuerpo, hacia el hombro contrario.",
            "Mantenga la parte baja de la espalda apoyada en el piso.",
            "Sostenga 30 segundos respirando despacio y luego suelte.",
            "Estire hasta sentir un jalón suave en el glúteo, nunca hasta sentir dolor.",
            _STOP,
        ],
    },
    "figure-four-stretch": {
        "name": "Estiramiento del piriforme en forma de cuatro",
        "summary": (
            "Cruzar el tobillo sobre la rodilla contraria y llevar las piernas hacia el pecho, "
            "un estiramiento más fuerte del piriforme y los rotadores de la cadera."
        ),
        "instructions": [
            "Acuéstese boca arriba con las dos rodillas dobladas y los pies apoyados.",
            "Cruce el tobillo del lado que le duele sobre la rodilla contraria.",
            "Pase las manos y sostenga la parte de atrás del otro muslo.",
            "Jale ese muslo suavemente hacia usted hasta sentir un estiramiento en el glúteo.",
            "Mantenga la cabeza y la parte baja de la espalda en el piso. Sostenga 30 segundos.",
            _STOP,
        ],
    },
    "seated-piriformis-stretch": {
        "name": "Estiramiento del piriforme sentado",
        "summary": (
            "Un estiramiento en forma de cuatro en una silla, inclinándose desde las caderas; "
            "fácil de hacer en las pausas cuando pasa mucho tiempo sentado."
        ),
        "instructions": [
            "Siéntese derecho en una silla firme con los dos pies apoyados.",
            "Apoye el tobillo del lado que le duele sobre la rodilla contraria.",
            "Con la espalda derecha, inclínese hacia adelante desde las caderas hasta sentir un "
            "estiramiento en el glúteo.",
            "No encorve la espalda para llegar más lejos.",
            "Sostenga 30 segundos y luego enderécese.",
            _STOP,
        ],
    },
    "supine-hamstring-stretch": {
        "name": "Estiramiento de isquiotibiales acostado (con correa)",
        "summary": (
            "Levantar una pierna estirada con una correa alrededor del pie, para estirar los "
            "músculos de atrás del muslo con la espalda apoyada."
        ),
        "instructions": [
            "Acuéstese boca arriba con las dos rodillas dobladas.",
            "Pase una correa, un cinturón o una toalla por la planta de un pie.",
            "Estire esa pierna hacia el techo, ayudándose con la correa.",
            "Súbala hasta sentir un estiramiento suave detrás del muslo, no en la pantorrilla "
            "ni en el pie.",
            "Sostenga 30 segundos y luego baje. Haga las dos piernas.",
            "Si siente hormigueo o dolor que baja hasta el pie, el nervio se está estirando "
            "demasiado: baje la pierna y avise a su terapeuta.",
        ],
    },
    "seated-hamstring-stretch": {
        "name": "Estiramiento de isquiotibiales sentado",
        "summary": (
            "Inclinarse hacia adelante desde las caderas con una pierna estirada, sentado en una "
            "silla; un estiramiento de la parte de atrás del muslo con la espalda derecha."
        ),
        "instructions": [
            "Siéntese en la orilla de una silla firme.",
            "Estire una pierna hacia adelante, con el talón en el piso y los dedos hacia arriba.",
            "Siéntese derecho e inclínese hacia adelante desde las caderas, con la espalda recta.",
            "Deténgase cuando sienta un estiramiento suave detrás del muslo.",
            "Sostenga 30 segundos y luego enderécese. Haga las dos piernas.",
            _STOP,
        ],
    },
    "childs-pose": {
        "name": "Postura del niño",
        "summary": (
            "Sentarse sobre los talones con los brazos estirados hacia adelante, un estiramiento "
            "suave de la parte baja de la espalda hacia adelante."
        ),
        "instructions": [
            "Arrodíllese en el piso con las rodillas separadas y los dedos gordos juntos.",
            "Siéntese hacia atrás, hacia los talones.",
            "Avance las manos hacia adelante y apoye el pecho y la frente.",
            "Deje que la espalda se relaje y respire despacio.",
            "Sostenga 30 segundos, luego regrese las manos y enderécese despacio.",
            "Ponga una almohada debajo de las caderas o del pecho si no alcanza el piso.",
            _STOP,
        ],
    },
    "knee-to-chest-single": {
        "name": "Estiramiento de una rodilla al pecho",
        "summary": (
            "Llevar una rodilla hacia el pecho acostado boca arriba, un estiramiento suave de "
            "la parte baja de la espalda y el glúteo."
        ),
        "instructions": [
            "Acuéstese boca arriba con las dos rodillas dobladas y los pies apoyados.",
            "Sostenga una rodilla con las dos manos y jálela suavemente hacia el pecho.",
            "Deje el otro pie en el piso.",
            "Sostenga 30 segundos, luego baje y cambie de pierna.",
            "Estire hasta sentir un jalón suave, nunca hasta sentir dolor.",
            _STOP,
        ],
    },
    "sciatic-nerve-glide": {
        "name": "Deslizamiento del nervio ciático",
        "summary": (
            "Estirar la rodilla mirando hacia arriba y doblarla mirando hacia abajo, para "
            "deslizar suavemente el nervio ciático sin estirarlo."
        ),
        "instructions": [
            "Siéntese derecho en una silla con los dos pies en el piso.",
            "Estire la rodilla de la pierna que le duele y lleve los dedos del pie hacia usted, "
            "mientras inclina la cabeza hacia atrás para mirar arriba.",
            "Luego doble otra vez la rodilla y apunte los dedos del pie hacia abajo, mientras "
            "lleva la barbilla al pecho.",
            "Pase suavemente de una posición a la otra, sin sostener.",
            "Repita 10 veces. Puede sentir un jalón leve, que debe desaparecer en cuanto se "
            "detenga.",
            _STOP,
        ],
    },
    "hip-flexor-stretch": {
        "name": "Estiramiento de los flexores de la cadera (con una rodilla en el piso)",
        "summary": (
            "Una zancada con una rodilla en el piso y la pelvis metida, para estirar el frente "
            "de la cadera sin arquear la parte baja de la espalda."
        ),
        "instructions": [
            "Apoye una rodilla sobre un cojín, con el otro pie plano delante de usted.",
            "Apriete el abdomen y los glúteos para meter el coxis hacia abajo.",
            "Pase el peso suavemente hacia adelante hasta sentir un estiramiento en el frente de "
            "la cadera de la pierna que está en el piso.",
            "Mantenga la parte de arriba del cuerpo derecha; no arquee la espalda.",
            "Sostenga 30 segundos y luego cambie de lado.",
            _STOP,
        ],
    },
    "walking": {
        "name": "Caminar",
        "summary": (
            "Caminar con regularidad a un paso cómodo, aumentando el tiempo poco a poco, para "
            "que la sangre y los nutrientes sigan llegando a los tejidos que sanan."
        ),
        "instructions": [
            "Camine en un terreno plano y parejo, con zapatos que le den buen soporte.",
            "Vaya a un paso en el que todavía pueda hablar cómodamente.",
            "Camine derecho y deje que los brazos se muevan de forma natural.",
            "Empiece con el tiempo que le indique su terapeuta y aumente unos minutos cada semana.",
            "Si le empieza a doler la pierna, vaya más despacio o descanse un minuto, y luego "
            "siga.",
            _STOP,
        ],
    },
    "swimming": {
        "name": "Natación",
        "summary": (
            "Nadar con calma, con el cuerpo sostenido por el agua, para acondicionar el corazón "
            "y los músculos con poca carga en la columna."
        ),
        "instructions": [
            "Caliente con unos minutos de caminar o patalear suave en el agua.",
            "Nade largos suaves de crol o de espalda.",
            "Evite el estilo mariposa y el de pecho con la cabeza fuera del agua; los dos "
            "arquean la espalda.",
            "Descanse en la orilla de la piscina cada vez que lo necesite.",
            "Empiece con el tiempo que le indique su terapeuta y aumente poco a poco.",
            _STOP,
        ],
    },
    "pool-walking": {
        "name": "Caminar en la piscina (terapia acuática)",
        "summary": (
            "Caminar en agua que llega entre la cintura y el pecho, donde el agua quita peso a "
            "la columna, para quienes todavía no pueden caminar ni nadar cómodamente fuera del "
            "agua."
        ),
        "instructions": [
            "Párese en agua que le llegue entre la cintura y el pecho.",
            "Camine hacia adelante con pasos largos y tranquilos, moviendo los brazos.",
            "Manténgase derecho, con el abdomen suavemente activado.",
            "Pruebe también a caminar hacia atrás y de lado, si su terapeuta se lo sugiere.",
            "Mantenga un paso en el que pueda hablar cómodamente.",
            _STOP,
        ],
    },
    "stationary-cycling": {
        "name": "Bicicleta fija",
        "summary": (
            "Pedalear en una bicicleta fija, vertical o reclinada, con poca resistencia: "
            "ejercicio aeróbico en una posición sentada con apoyo."
        ),
        "instructions": [
            "Ajuste el asiento para que la rodilla quede apenas un poco doblada cuando el pedal "
            "está abajo.",
            "Una bicicleta con respaldo (reclinada) suele ser la más cómoda.",
            "Pedalee a un ritmo fácil y constante, con poca resistencia.",
            "Siéntese derecho en lugar de encorvarse sobre el manubrio.",
            "Empiece con el tiempo que le indique su terapeuta y aumente unos minutos cada semana.",
            _STOP,
        ],
    },
    "heat-pack": {
        "name": "Compresa caliente",
        "summary": (
            "Calor húmedo o seco en la parte baja de la espalda o el glúteo, hasta 15 minutos, "
            "para aliviar los espasmos y la rigidez de los músculos."
        ),
        "instructions": [
            "Envuelva la compresa caliente o la bolsa de agua caliente en una toalla. Nunca la "
            "ponga directamente sobre la piel.",
            "Acuéstese o siéntese cómodo y colóquela en la parte baja de la espalda o el glúteo.",
            "Déjela hasta 15 minutos, no más.",
            "Revise su piel: quítela si la piel se pone muy roja, manchada o demasiado caliente.",
            "No se duerma con una compresa caliente y no la use sobre piel adormecida.",
            "Puede repetirlo varias veces al día.",
        ],
    },
    "cold-pack": {
        "name": "Compresa fría",
        "summary": (
            "Una compresa de hielo o de gel fría sobre la zona que duele, hasta 15 minutos, "
            "para calmar el dolor, sobre todo durante una crisis o después de la actividad."
        ),
        "instructions": [
            "Envuelva la bolsa de hielo, la compresa de gel o una bolsa de chícharos congelados "
            "en una toalla delgada y húmeda.",
            "Nunca ponga el hielo directamente sobre la piel.",
            "Colóquela en el punto que más le duele de la parte baja de la espalda o el glúteo.",
            "Déjela hasta 15 minutos, no más.",
            "Quítela antes si la piel se adormece, se pone blanca o le duele.",
            "Puede repetirlo varias veces al día, con al menos una hora entre una vez y otra.",
        ],
    },
    "sitting-posture-lumbar-roll": {
        "name": "Postura sentada con rollo lumbar",
        "summary": (
            "Sentarse con un rollo lumbar detrás de la cintura para mantener una curva suave "
            "hacia adentro en lugar de encorvarse."
        ),
        "instructions": [
            "Siéntese bien atrás en la silla.",
            "Ponga un rollo lumbar o una toalla enrollada detrás de la cintura, justo arriba de "
            "la línea del cinturón.",
            "Deje que sostenga una curva suave hacia adentro en la parte baja de la espalda, sin "
            "forzar.",
            "Mantenga los pies apoyados y las rodillas a la altura de las caderas o un poco más "
            "abajo.",
            "Use el rollo cada vez que se siente, también en el carro.",
            "Levántese y muévase por lo menos cada 30 a 45 minutos.",
        ],
    },
    "lifting-technique": {
        "name": "Cómo levantar cosas sin riesgo",
        "summary": (
            "Levantar cosas en la vida diaria con la carga cerca, la espalda derecha y las "
            "piernas haciendo el trabajo, para no volver a lastimarse la espalda."
        ),
        "instructions": [
            "Párese cerca del objeto con los pies separados.",
            "Doble las caderas y las rodillas, no la espalda.",
            "Apriete el abdomen y sostenga el objeto pegado al cuerpo.",
            "Levántelo estirando las piernas, con suavidad y sin jalones.",
            "Para girar, mueva los pies. No tuerza la espalda mientras carga algo.",
            "Pida ayuda o divida la carga cuando algo sea pesado o difícil de agarrar.",
            "Después de levantar algo, enderécese e inclínese hacia atrás unas cuantas veces, si "
            "su terapeuta le enseñó cómo.",
        ],
    },
    "movement-breaks": {
        "name": "Pausas para moverse cuando está sentado",
        "summary": (
            "Levantarse cuando está sentado, o cambiar de posición cuando está de pie, cada 30 a "
            "45 minutos, para caminar un par de minutos."
        ),
        "instructions": [
            "Ponga una alarma cada 30 a 45 minutos cuando vaya a estar sentado o de pie mucho "
            "tiempo.",
            "Cuando suene, levántese y camine 2 minutos.",
            "Si ha estado de pie, siéntese o cambie de posición un rato.",
            "Haga los ejercicios para las pausas que le haya dado su terapeuta.",
            "Cuando pueda, evite los viajes largos en carro sin paradas.",
        ],
    },
    "sleeping-positions": {
        "name": "Posiciones cómodas para dormir",
        "summary": (
            "Posiciones acostado, con almohadas de apoyo, que mantienen la columna cómoda "
            "durante la noche."
        ),
        "instructions": [
            "Use un colchón que lo sostenga sin hundirse.",
            "De lado: doble un poco las rodillas y ponga una almohada entre ellas.",
            "Boca arriba: ponga una almohada debajo de las rodillas.",
            "Pruebe la posición que más le alivie el dolor de la pierna; su terapeuta puede "
            "aconsejarle.",
            "Para levantarse de la cama, gire de lado, baje las piernas por la orilla y "
            "empújese hacia arriba con los brazos.",
        ],
    },
}

TEMPLATES_ES: dict[str, dict] = {
    "mckenzie-extension": {
        "name": "Programa de extensión de McKenzie",
        "description": (
            "Para un desarreglo con preferencia por la extensión, el patrón más común en la "
            "ciática por un disco. Los movimientos de extensión repetidos reducen el desarreglo "
            "y centralizan el dolor de la pierna; luego, la corrección de la postura y la "
            "extensión de pie lo mantienen reducido, y los buenos hábitos al levantar cosas "
            "evitan que vuelva. Detenga cualquier movimiento que haga bajar los síntomas por la "
            "pierna."
        ),
        "phases": {
            1: {
                "name": "Reducir y centralizar",
                "goal": (
                    "Llevar el dolor de la pierna de vuelta hacia la columna con extensión "
                    "repetida acostado."
                ),
            },
            2: {
                "name": "Mantener y recuperar la función",
                "goal": (
                    "Mantener los síntomas centralizados mientras recupera la extensión y una "
                    "postura normal al sentarse."
                ),
            },
            3: {
                "name": "Evitar que vuelva",
                "goal": (
                    "Hacer un hábito de la extensión después de estar sentado o levantar cosas y "
                    "volver a toda su actividad."
                ),
            },
        },
    },
    "mckenzie-flexion": {
        "name": "Programa de flexión de McKenzie",
        "description": (
            "Para pacientes cuyos síntomas disminuyen o se centralizan con flexión repetida, "
            "como es típico de la estenosis espinal lumbar y de algunos casos de "
            "espondilolistesis. La flexión avanza de acostado a sentado y a de pie, con "
            "acondicionamiento en posición flexionada (bicicleta) y caminatas que aumentan por "
            "intervalos. No es para una hernia de disco, salvo que la prueba muestre "
            "preferencia por la flexión."
        ),
        "phases": {
            1: {
                "name": "Reducir los síntomas con flexión",
                "goal": (
                    "Aliviar los síntomas de la pierna con flexión repetida acostado y "
                    "posiciones de descanso."
                ),
            },
            2: {
                "name": "Avanzar en la flexión",
                "goal": "Agregar flexión sentado y empezar un acondicionamiento de poca carga.",
            },
            3: {
                "name": "Recuperar la función y evitar que vuelva",
                "goal": (
                    "Inclinarse libremente de pie, aguantar más tiempo caminando y levantar "
                    "cosas sin riesgo."
                ),
            },
        },
    },
    "dynamic-lumbar-stabilization": {
        "name": "Estabilización lumbar dinámica",
        "description": (
            "La progresión de Saal en unas 8 semanas: encontrar la columna neutra y aprender a "
            "activar el abdomen, agregar movimientos de brazos y piernas con el abdomen "
            "activado, ganar resistencia con planchas y abdominales, y luego trabajar con "
            "pelota, banda y levantamiento de cosas de la vida diaria. Aumente las repeticiones "
            "antes de pasar a versiones más difíciles."
        ),
        "phases": {
            1: {
                "name": "Columna neutra y activación abdominal",
                "goal": "Encontrar una columna neutra cómoda y mantener el abdomen activado.",
            },
            2: {
                "name": "Movimiento de brazos y piernas",
                "goal": "Mantener el abdomen activado mientras se mueven los brazos y las piernas.",
            },
            3: {
                "name": "Resistencia",
                "goal": "Ganar resistencia en el tronco con planchas y abdominales.",
            },
            4: {
                "name": "Pelota, banda y tareas diarias",
                "goal": (
                    "Controlar la columna con carga, equilibrio y resistencia, y levantar "
                    "cosas sin riesgo."
                ),
            },
        },
    },
    "piriformis-hamstring-stretching": {
        "name": "Estiramiento del piriforme y los isquiotibiales",
        "description": (
            "Para el síndrome del piriforme y los músculos tensos de la parte de atrás de las "
            "piernas: estiramientos del piriforme y los isquiotibiales, estiramientos suaves de "
            "la parte baja de la espalda y un deslizamiento del nervio ciático. Cada "
            "estiramiento llega solo hasta un jalón suave; cualquier estiramiento que aumente "
            "el dolor de la pierna se suspende."
        ),
        "phases": {
            1: {
                "name": "Estiramiento suave",
                "goal": (
                    "Aliviar la tensión del glúteo y de la parte de atrás del muslo con "
                    "estiramientos con apoyo."
                ),
            },
            2: {
                "name": "Estiramiento más profundo",
                "goal": (
                    "Estirar el piriforme, los isquiotibiales y los flexores de la cadera; "
                    "deslizar el nervio."
                ),
            },
        },
    },
    "low-impact-aerobic": {
        "name": "Acondicionamiento aeróbico de bajo impacto",
        "description": (
            "Caminar, andar en bicicleta, caminar en la piscina y nadar, aumentando el tiempo "
            "semana a semana. La actividad regular de bajo impacto lleva líquido y nutrientes "
            "al tejido lastimado, libera endorfinas y evita la pérdida de condición física que "
            "causa el reposo."
        ),
        "phases": {
            1: {
                "name": "Empezar a moverse",
                "goal": "Sesiones cortas y frecuentes que no aumenten el dolor de la pierna.",
            },
            2: {
                "name": "Aumentar poco a poco",
                "goal": "Alargar las sesiones y agregar ejercicio en la piscina.",
            },
            3: {
                "name": "Ganar condición física",
                "goal": "Llegar a 30 minutos seguidos de actividad de bajo impacto.",
            },
        },
    },
    "heat-and-cold": {
        "name": "Cuidado en casa con calor y frío",
        "description": (
            "Compresas frías o calientes, hasta 15 minutos cada vez y varias veces al día, con "
            "pausas para moverse y posiciones cómodas para dormir. El frío suele ir mejor en "
            "una crisis reciente y el calor con la espalda rígida; el paciente usa el que más "
            "le alivie el dolor."
        ),
        "phases": {
            1: {
                "name": "Calmar una crisis",
                "goal": "Aliviar el dolor sin dejar de estar activo.",
            },
            2: {
                "name": "Aliviar la rigidez",
                "goal": (
                    "Relajar los espasmos musculares con calor y usar frío después de la actividad."
                ),
            },
        },
    },
}
